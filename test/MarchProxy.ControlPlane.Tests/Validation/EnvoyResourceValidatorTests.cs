using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Tests.TestSupport;
using MarchProxy.ControlPlane.Translation;
using MarchProxy.ControlPlane.Validation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MarchProxy.ControlPlane.Tests.Validation;

/// <summary>
/// Envoy's rules on translated resources: each test plants one violation in otherwise valid
/// resources and expects it reported at the model field it came from.
/// </summary>
public sealed class EnvoyResourceValidatorTests
{
    private static readonly DesiredState Rich = SpecFactory.State(
        SpecFactory.Cluster("web", "10.0.0.1", "10.0.0.2") with { LoadBalancing = MarchProxy.ControlPlane.Model.LoadBalancingPolicy.RingHash, CircuitBreakers = new CircuitBreakerSpec { MaxRequests = 10 } },
        SpecFactory.Cluster("dns", "backend.internal") with { Http2 = true, HealthCheck = new HealthCheckSpec { HttpPath = "/h" }, Tls = new UpstreamTlsSpec { Sni = "backend.internal" } },
        SpecFactory.Route("api", "web", "/api", "api.example.com") with
        {
            Match = new RouteMatchSpec { Regex = "/api/v[0-9]+/.*", Hosts = ["api.example.com"], Headers = [new HeaderMatchSpec("x-env", "blue")] },
            RateLimit = new RateLimitSpec(1000, 100),
            Retry = new RetryPolicySpec { PerTryTimeout = TimeSpan.FromSeconds(1) },
            HashPolicies = [HashPolicySpec.Cookie("sid", TimeSpan.FromHours(1)), HashPolicySpec.Header("x-user")],
            WebSocket = true,
        },
        SpecFactory.Split("split", ("web", 90), ("dns", 10)) with { Match = new RouteMatchSpec { PathPrefix = "/s", Hosts = ["shop.example.com"] } },
        SpecFactory.Listener("public", 8080));

    private readonly EnvoyResourceValidator _validator = new();

    [Test]
    public void Validate_TranslatedRichState_FindsNothingForEitherKind()
    {
        _validator.Validate(NodeKind.Envoy, Envoy(Rich), Rich).Should().BeEmpty();
        _validator.Validate(NodeKind.Grpc, Grpc(Rich), Rich).Should().BeEmpty();
    }

    [Test]
    public void Validate_EmptyRegex_ReportsTheRoutesRegexField()
    {
        var resources = Envoy(Rich);
        Route(resources, "api").Match.SafeRegex.Regex = string.Empty;

        var error = _validator.Validate(NodeKind.Envoy, resources, Rich).Should().ContainSingle().Subject;

        error.Path.Should().Be("routes[api].match.regex");
        error.Message.Should().Contain("at least 1 character").And.Contain("Envoy would reject it");
    }

    [Test]
    public void Validate_RegexOverRe2ProgramLimit_ReportsTheRegexField()
    {
        var resources = Envoy(Rich);
        Route(resources, "api").Match.SafeRegex.Regex = "(alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda|mu|nu|xi|omicron|pi|rho|sigma|tau|upsilon|phi|chi|psi|omega|one|two|three)";

        _validator.Validate(NodeKind.Envoy, resources, Rich).Select(e => e.Path).Should().Equal("routes[api].match.regex");
    }

    [Test]
    public void Validate_FillIntervalBelow50Ms_ReportsTheRateLimit()
    {
        var resources = Envoy(Rich);
        var route = Route(resources, "api");
        var limit = route.TypedPerFilterConfig["envoy.filters.http.local_ratelimit"].Unpack<LocalRateLimit>();
        limit.TokenBucket.FillInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(10));
        route.TypedPerFilterConfig["envoy.filters.http.local_ratelimit"] = Any.Pack(limit);

        var error = _validator.Validate(NodeKind.Envoy, resources, Rich).Should().ContainSingle().Subject;

        error.Path.Should().Be("routes[api].rate_limit");
        error.Message.Should().Contain("at least 50 ms");
    }

    [Test]
    public void Validate_WeightsSummingToZero_ReportsTheBackends()
    {
        var resources = Envoy(Rich);
        foreach (var weight in Route(resources, "split").Route_.WeightedClusters.Clusters)
        {
            weight.Weight = 0;
        }

        _validator.Validate(NodeKind.Envoy, resources, Rich).Select(e => e.Path).Should().Contain("routes[split].backends");
    }

    [Test]
    public void Validate_HeaderValueWithNewline_ReportsTheHeaderValue()
    {
        var resources = Envoy(Rich);
        var header = Route(resources, "api").Match.Headers[0];
        header.Name = "x-env\n";

        _validator.Validate(NodeKind.Envoy, resources, Rich).Select(e => e.Path).Should().Equal("routes[api].match.headers[0].name");
    }

    [Test]
    public void Validate_DomainInTwoVirtualHosts_ReportsTheRouteHost()
    {
        var resources = Envoy(Rich);
        var configuration = (RouteConfiguration)resources.Routes.Single();
        configuration.VirtualHosts[1].Domains[0] = configuration.VirtualHosts[0].Domains[0];

        var errors = _validator.Validate(NodeKind.Envoy, resources, Rich);

        errors.Should().Contain(e => e.Path == "routes[api].match.hosts[0]" && e.Message.Contains("more than one virtual host"));
    }

    [Test]
    public void Validate_RouterNotLast_ReportsTheListener()
    {
        var resources = Envoy(Rich);
        var listener = (Listener)resources.Listeners.Single();
        var filter = listener.FilterChains[0].Filters[0];
        var hcm = filter.TypedConfig.Unpack<HttpConnectionManager>();
        var router = hcm.HttpFilters[^1];
        hcm.HttpFilters.RemoveAt(hcm.HttpFilters.Count - 1);
        hcm.HttpFilters.Insert(0, router);
        filter.TypedConfig = Any.Pack(hcm);

        var errors = _validator.Validate(NodeKind.Envoy, resources, Rich);

        errors.Should().NotBeEmpty().And.OnlyContain(e => e.Path == "listeners[public]");
        errors.Should().Contain(e => e.Message.Contains("router filter must be the last"));
    }

    [Test]
    public void Validate_EdsEndpointThatIsAHostname_ReportsTheEndpointAddress()
    {
        var resources = Envoy(Rich);
        var assignment = resources.Endpoints.Cast<ClusterLoadAssignment>().Single(a => a.ClusterName == "web");
        assignment.Endpoints[0].LbEndpoints[1].Endpoint.Address.SocketAddress.Address = "db.internal";

        _validator.Validate(NodeKind.Envoy, resources, Rich).Select(e => e.Path).Should().Equal("clusters[web].endpoints[1].address");
    }

    [Test]
    public void Validate_ZeroConnectTimeout_ReportsTheConnectTimeout()
    {
        var resources = Envoy(Rich);
        resources.Clusters.Cast<Cluster>().Single(c => c.Name == "dns").ConnectTimeout = new Duration();

        _validator.Validate(NodeKind.Envoy, resources, Rich).Select(e => e.Path).Should().Equal("clusters[dns].connect_timeout");
    }

    [Test]
    public void Validate_GrpcGetsADnsCluster_ReportsTheCluster()
    {
        var resources = Grpc(Rich);
        resources.Clusters.Cast<Cluster>().Single(c => c.Name == "web").Type = Cluster.Types.DiscoveryType.StrictDns;

        var errors = _validator.Validate(NodeKind.Grpc, resources, Rich);

        errors.Should().Contain(e => e.Path == "clusters[web].endpoints" && e.Message.Contains("only take EDS clusters"));
    }

    [Test]
    public void Validate_GrpcGetsACookieHashPolicy_ReportsItAtTheModelIndex()
    {
        var resources = Grpc(Rich);
        var route = ((RouteConfiguration)resources.Routes.First(r => ((RouteConfiguration)r).Name == "api.example.com")).VirtualHosts[0].Routes.Single(r => r.Name == "api");
        route.Route_.HashPolicy[0] = new RouteAction.Types.HashPolicy { Cookie = new RouteAction.Types.HashPolicy.Types.Cookie { Name = "sid" } };

        // gRPC gets the header key only (model index 1), so emitted index 0 is the model's index 1.
        _validator.Validate(NodeKind.Grpc, resources, Rich).Select(e => e.Path).Should().Equal("routes[api].hash_policy[1]");
    }

    [Test]
    public void Validate_UnchangedMessages_AreCheckedOnce()
    {
        var resources = Envoy(Rich);
        _validator.Validate(NodeKind.Envoy, resources, Rich).Should().BeEmpty();
        var cluster = resources.Clusters.Cast<Cluster>().Single(c => c.Name == "dns");

        // A change made to an already-checked message is not seen: results are kept per instance,
        // which is sound because translated messages are never mutated after a translation.
        cluster.ConnectTimeout = new Duration();
        _validator.Validate(NodeKind.Envoy, resources, Rich).Should().BeEmpty();
        _validator.Validate(NodeKind.Envoy, new TranslatedResources([cluster.Clone()], [], [], []), Rich).Should().NotBeEmpty();
    }

    private static Route Route(TranslatedResources resources, string name) =>
        resources.Routes.Cast<RouteConfiguration>().SelectMany(c => c.VirtualHosts).SelectMany(v => v.Routes).First(r => r.Name == name);

    private static TranslatedResources Envoy(DesiredState state) => Clone(
        new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance).Translate(state));

    private static TranslatedResources Grpc(DesiredState state) => Clone(new GrpcTranslator(NullLogger<GrpcTranslator>.Instance).Translate(state));

    /// <summary>Deep copies, so a test can plant a violation without touching shared instances.</summary>
    private static TranslatedResources Clone(TranslatedResources resources)
    {
        static List<IMessage> Copy(IEnumerable<IMessage> messages) => [.. messages.Select(m => m.Descriptor.Parser.ParseFrom(m.ToByteString()))];
        return new TranslatedResources(Copy(resources.Clusters), Copy(resources.Endpoints), Copy(resources.Listeners), Copy(resources.Routes));
    }
}
