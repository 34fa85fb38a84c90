using Envoy.Config.Cluster.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;
using HashPolicy = Envoy.Config.Route.V3.RouteAction.Types.HashPolicy;

namespace MarchProxy.ControlPlane.Tests.Translation;

/// <summary>Consistent-hashing keys, "no limit" circuit breakers and inline CAs, as Envoy and gRPC clients get them.</summary>
public sealed class HashPolicyAndLimitsTranslationTests
{
    private static readonly DesiredState HashedState = State(
        Cluster("sticky") with { LoadBalancing = MarchProxy.ControlPlane.Model.LoadBalancingPolicy.RingHash },
        Route("r", "sticky", "/", "app.example.com") with
        {
            HashPolicies =
            [
                HashPolicySpec.Cookie("sid", TimeSpan.FromHours(1), "/"),
                HashPolicySpec.Header("x-user", terminal: true),
                HashPolicySpec.SourceIp(),
            ],
        });

    [Test]
    public void TranslateForEnvoy_HashPolicies_AreEmittedInOrder()
    {
        var route = Routes(new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance).Translate(HashedState)).Single();

        route.Route_.HashPolicy.Should().Equal(
            new HashPolicy { Cookie = new HashPolicy.Types.Cookie { Name = "sid", Ttl = Duration.FromTimeSpan(TimeSpan.FromHours(1)), Path = "/" } },
            new HashPolicy { Header = new HashPolicy.Types.Header { HeaderName = "x-user" }, Terminal = true },
            new HashPolicy { ConnectionProperties = new HashPolicy.Types.ConnectionProperties { SourceIp = true } });
    }

    [Test]
    public void TranslateForGrpc_HashPolicies_KeepOnlyHeaders()
    {
        var route = Routes(new GrpcTranslator(NullLogger<GrpcTranslator>.Instance).Translate(HashedState)).Single();

        route.Route_.HashPolicy.Should().Equal(new HashPolicy { Header = new HashPolicy.Types.Header { HeaderName = "x-user" }, Terminal = true });
    }

    [Test]
    public void TranslateForEnvoy_NoLimitCircuitBreakers_AreSentAsAThresholdNeverReached()
    {
        var spec = Cluster("c") with
        {
            CircuitBreakers = new CircuitBreakerSpec { MaxConnections = CircuitBreakerSpec.NoLimit, MaxPendingRequests = CircuitBreakerSpec.NoLimit, MaxRequests = 50, MaxRetries = CircuitBreakerSpec.NoLimit },
        };

        var cluster = (Cluster)new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance).Translate(State(spec)).Clusters.Single();

        var thresholds = cluster.CircuitBreakers.Thresholds.Single();
        thresholds.MaxConnections.Should().Be(int.MaxValue, "Envoy's default (1024) would apply if the field were left out");
        thresholds.MaxPendingRequests.Should().Be(int.MaxValue);
        thresholds.MaxRequests.Should().Be(50);
        thresholds.MaxRetries.Should().Be(int.MaxValue);
    }

    [Test]
    public void TranslateForEnvoy_InlineTrustedCa_IsAnInlineDataSource()
    {
        const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        var spec = Cluster("c") with { Tls = new UpstreamTlsSpec { TrustedCaPem = Pem } };

        var cluster = (Cluster)new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance).Translate(State(spec)).Clusters.Single();

        cluster.TransportSocket.TypedConfig.Unpack<UpstreamTlsContext>().CommonTlsContext.ValidationContext.TrustedCa.InlineString.Should().Be(Pem);
    }

    private static IEnumerable<Route> Routes(TranslatedResources resources) =>
        resources.Routes.Cast<RouteConfiguration>().SelectMany(c => c.VirtualHosts).SelectMany(v => v.Routes).DistinctBy(r => r.Name);
}
