using MarchProxy.ControlPlane.Model;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;

namespace MarchProxy.ControlPlane.Tests.Model;

public sealed class ConfigValidatorTests
{
    [Test]
    public void Validate_ValidState_ReturnsNoErrors()
    {
        var state = State(
            Cluster("web", "10.0.0.1", "backend.internal"),
            Cluster("web-green", "10.0.0.2"),
            Route("api", "web", "/api", "api.example.com", "*.example.com"),
            Split("split", ("web", 90), ("web-green", 10)) with
            {
                Timeout = TimeSpan.FromSeconds(3),
                Retry = new RetryPolicySpec { NumRetries = 3 },
                RateLimit = new RateLimitSpec(100, 10),
            },
            Listener("public", 8443) with
            {
                Tls = new ListenerTlsSpec
                {
                    CertificateChain = new DataSpec { FilePath = "/certs/tls.crt" },
                    PrivateKey = new DataSpec { Inline = "-----BEGIN PRIVATE KEY-----\nMC4CAQ==\n-----END PRIVATE KEY-----\n" },
                },
            });

        ConfigValidator.Validate(state).Should().BeEmpty();
    }

    [Test]
    public void Validate_SeveralProblems_ReportsEveryOneWithItsPath()
    {
        var state = State(
            Cluster("web") with { Endpoints = [new EndpointSpec("10.0.0.1", 0), new EndpointSpec("10.0.0.2", 80), new EndpointSpec("10.0.0.3", 70000)] },
            Cluster("empty") with { Endpoints = [] },
            Route("api", "web", "api") with { RateLimit = new RateLimitSpec(0, 0) },
            Route("orphan", "missing", "/orphan"),
            Listener("public", 0));

        var errors = ConfigValidator.Validate(state);

        errors.Select(e => e.Path).Should().BeEquivalentTo(
            "listeners[public].port",
            "clusters[empty].endpoints",
            "clusters[web].endpoints[0].port",
            "clusters[web].endpoints[2].port",
            "routes[api].match.prefix",
            "routes[api].rate_limit.requests_per_second",
            "routes[api].rate_limit.burst",
            "routes[orphan].cluster");
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("slash/name")]
    [TestCase("ünïcode")]
    public void Validate_BadRouteName_ReportsName(string name)
    {
        var state = DesiredState.Empty.WithCluster(Cluster("web")).WithRoute(Route(name, "web"));

        ConfigValidator.Validate(state).Should().ContainSingle()
            .Which.Path.Should().Be($"routes[{name}].name");
    }

    [Test]
    public void ValidateName_Boundaries_AcceptsOneTo128AllowedCharacters()
    {
        var errors = new List<ValidationError>();

        ConfigValidator.ValidateName("n", "a", errors).Should().BeTrue();
        ConfigValidator.ValidateName("n", "A.b_c-9", errors).Should().BeTrue();
        ConfigValidator.ValidateName("n", new string('x', 128), errors).Should().BeTrue();
        errors.Should().BeEmpty();

        ConfigValidator.ValidateName("too-long", new string('x', 129), errors).Should().BeFalse();
        ConfigValidator.ValidateName("null", null, errors).Should().BeFalse();
        errors.Select(e => e.Path).Should().Equal("too-long", "null");
    }

    [Test]
    public void Validate_NameDiffersFromKey_ReportsName()
    {
        var state = DesiredState.Empty with
        {
            Clusters = DesiredState.Empty.Clusters.Add("web", Cluster("other")),
        };

        ConfigValidator.Validate(state).Should().ContainSingle()
            .Which.Should().Be(new ValidationError("clusters[web].name", "'other' does not match its key 'web'"));
    }

    [Test]
    public void Validate_BadMatches_ReportsEachField()
    {
        var state = State(
            Cluster("web"),
            Route("both", "web") with { Match = new RouteMatchSpec { PathPrefix = "/a", Path = "/a" } },
            Route("path", "web") with { Match = new RouteMatchSpec { Path = "exact" } },
            Route("regex", "web") with { Match = new RouteMatchSpec { Regex = "(unclosed" } },
            Route("lookahead", "web") with { Match = new RouteMatchSpec { Regex = "/(?=a)" } },
            Route("long", "web") with { Match = new RouteMatchSpec { Regex = "/" + new string('a', 1024) } },
            Route("header", "web") with { Match = new RouteMatchSpec { Headers = [new HeaderMatchSpec("bad header", "v")] } },
            Route("host", "web") with { Match = new RouteMatchSpec { Hosts = ["a.*.com", ""] } });

        ConfigValidator.Validate(state).Select(e => e.Path).Should().BeEquivalentTo(
            "routes[both].match.path",
            "routes[path].match.path",
            "routes[regex].match.regex",
            "routes[lookahead].match.regex",
            "routes[long].match.regex",
            "routes[header].match.headers[0].name",
            "routes[host].match.hosts[0]",
            "routes[host].match.hosts[1]");
    }

    [Test]
    public void Validate_ValidRegexAndPseudoHeader_ReturnsNoErrors()
    {
        var state = State(
            Cluster("web"),
            Route("regex", "web") with
            {
                Match = new RouteMatchSpec { Regex = "/v[0-9]+/.*", Headers = [new HeaderMatchSpec(":authority", "a"), new HeaderMatchSpec("x-canary", "true")] },
            });

        ConfigValidator.Validate(state).Should().BeEmpty();
    }

    [Test]
    public void Validate_BadBackends_ReportsWeightsReferencesAndDuplicates()
    {
        var state = State(
            Cluster("blue"),
            Cluster("green"),
            Split("range", ("blue", -1), ("green", 1001)),
            Split("zero", ("blue", 0), ("green", 0)),
            Split("refs", ("blue", 50), ("missing", 50), ("blue", 10)),
            new RouteSpec { Name = "none" });

        ConfigValidator.Validate(state).Select(e => e.Path).Should().BeEquivalentTo(
            "routes[range].backends[0].weight",
            "routes[range].backends[1].weight",
            "routes[range].backends",
            "routes[zero].backends",
            "routes[refs].backends[1].cluster",
            "routes[refs].backends[2].cluster",
            "routes[none].cluster");
    }

    [Test]
    public void Validate_WeightsAtTheLimits_ReturnsNoErrors()
    {
        var state = State(Cluster("blue"), Cluster("green"), Split("edge", ("blue", 0), ("green", 1000)));

        ConfigValidator.Validate(state).Should().BeEmpty();
    }

    [Test]
    public void Validate_BadTimeoutsAndRetries_ReportsEach()
    {
        var state = State(
            Cluster("web") with { ConnectTimeout = TimeSpan.Zero },
            Route("api", "web") with
            {
                Timeout = TimeSpan.FromSeconds(-1),
                Retry = new RetryPolicySpec { NumRetries = 11, PerTryTimeout = TimeSpan.FromSeconds(-1) },
            },
            Route("zero", "web") with { Timeout = TimeSpan.Zero, Retry = new RetryPolicySpec { NumRetries = 0 } });

        ConfigValidator.Validate(state).Select(e => e.Path).Should().BeEquivalentTo(
            "clusters[web].connect_timeout",
            "routes[api].timeout",
            "routes[api].retry.num_retries",
            "routes[api].retry.per_try_timeout");
    }

    [Test]
    public void Validate_DisabledRateLimitWithZeroRate_ReturnsNoErrors()
    {
        var state = State(Cluster("web"), Route("api", "web") with { RateLimit = new RateLimitSpec(0, 0, Enabled: false) });

        ConfigValidator.Validate(state).Should().BeEmpty();
    }

    [Test]
    public void Validate_BadEndpoints_ReportsAddressWeightAndDuplicates()
    {
        var state = State(Cluster("web") with
        {
            Endpoints =
            [
                new EndpointSpec("", 80),
                new EndpointSpec("not a host", 80),
                new EndpointSpec("10.0.0.1", 80, Weight: 0),
                new EndpointSpec("10.0.0.2", 80, Weight: 129),
                new EndpointSpec("10.0.0.1", 80),
                new EndpointSpec("10.0.0.1", 81, Weight: 128),
            ],
        });

        ConfigValidator.Validate(state).Select(e => e.Path).Should().BeEquivalentTo(
            "clusters[web].endpoints[0].address",
            "clusters[web].endpoints[1].address",
            "clusters[web].endpoints[2].weight",
            "clusters[web].endpoints[3].weight",
            "clusters[web].endpoints[4]");
    }

    [Test]
    public void Validate_BadClusterPolicies_ReportsEachField()
    {
        var state = State(Cluster("web") with
        {
            HealthCheck = new HealthCheckSpec { HttpPath = "healthz", Interval = TimeSpan.Zero, HealthyThreshold = 0 },
            OutlierDetection = new OutlierDetectionSpec { MaxEjectionPercent = 101, Consecutive5xx = 0 },
            CircuitBreakers = new CircuitBreakerSpec { MaxRequests = -1 },
            Tls = new UpstreamTlsSpec { Sni = "bad sni", TrustedCaFile = " " },
        });

        ConfigValidator.Validate(state).Select(e => e.Path).Should().BeEquivalentTo(
            "clusters[web].health_check.interval",
            "clusters[web].health_check.healthy_threshold",
            "clusters[web].health_check.http_path",
            "clusters[web].outlier_detection.consecutive_5xx",
            "clusters[web].outlier_detection.max_ejection_percent",
            "clusters[web].circuit_breakers.max_requests",
            "clusters[web].tls.sni",
            "clusters[web].tls.trusted_ca_file");
    }

    [Test]
    public void Validate_BadListeners_ReportsPortsAddressAndTls()
    {
        var state = State(
            Listener("a", 8080),
            Listener("b", 8080) with { Address = "localhost" },
            Listener("c", 65536) with
            {
                Tls = new ListenerTlsSpec { CertificateChain = new DataSpec(), PrivateKey = new DataSpec { FilePath = "k", Inline = "k" } },
            });

        ConfigValidator.Validate(state).Select(e => e.Path).Should().BeEquivalentTo(
            "listeners[b].address",
            "listeners[b].port",
            "listeners[c].port",
            "listeners[c].tls.certificate_chain",
            "listeners[c].tls.private_key");
    }

    [Test]
    public void Validate_EmptyState_ReturnsNoErrors()
    {
        ConfigValidator.Validate(DesiredState.Empty).Should().BeEmpty();
    }

    [Test]
    public void ValidationError_ToString_JoinsPathAndMessage()
    {
        new ValidationError("routes[a].cluster", "missing").ToString().Should().Be("routes[a].cluster: missing");
    }
}
