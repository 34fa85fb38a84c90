using MarchProxy.ControlPlane.Model;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;

namespace MarchProxy.ControlPlane.Tests.Model;

/// <summary>The input rules the model enforces for Envoy's sake, one example each.</summary>
public sealed class ModelRulesTests
{
    private const string Certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    [TestCase("[::1]")]
    [TestCase("[::1]:80")]
    [TestCase("[fe80::1]")]
    public void ValidateCluster_BracketedIpv6Endpoint_IsRefusedWithAHint(string address)
    {
        var errors = ConfigValidator.ValidateCluster(Cluster("c", address));

        var error = errors.Should().ContainSingle().Subject;
        error.Path.Should().Be("clusters[c].endpoints[0].address");
        error.Message.Should().Contain("without brackets (e.g. ::1)");
    }

    [TestCase("::1")]
    [TestCase("fe80::1")]
    [TestCase("10.0.0.1")]
    [TestCase("backend.internal")]
    public void ValidateCluster_PlainAddresses_AreAccepted(string address)
    {
        ConfigValidator.ValidateCluster(Cluster("c", address)).Should().BeEmpty();
    }

    [TestCase("a\rb")]
    [TestCase("a\nb")]
    [TestCase("a\0b")]
    public void ValidateRoute_HeaderValueWithCrLfOrNul_IsRefused(string value)
    {
        var route = Route("r", "web") with { Match = new RouteMatchSpec { Headers = [new HeaderMatchSpec("x-v", value)] } };

        var error = ConfigValidator.ValidateRoute(route, State(Cluster("web"))).Should().ContainSingle().Subject;

        error.Path.Should().Be("routes[r].match.headers[0].value");
        error.Message.Should().Contain("\\u00").And.NotContain("\n").And.NotContain("\r");
    }

    [Test]
    public void ValidateRoute_HeaderValueWithTab_IsAccepted()
    {
        var route = Route("r", "web") with { Match = new RouteMatchSpec { Headers = [new HeaderMatchSpec("x-v", "a\tb")] } };

        ConfigValidator.ValidateRoute(route, State(Cluster("web"))).Should().BeEmpty();
    }

    [Test]
    public void ValidateRoute_PerTryTimeoutOverADay_IsRefusedLikeTheRouteTimeout()
    {
        var route = Route("r", "web") with
        {
            Timeout = TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1),
            Retry = new RetryPolicySpec { PerTryTimeout = TimeSpan.FromDays(49) },
        };

        ConfigValidator.ValidateRoute(route, State(Cluster("web"))).Select(e => e.Path)
            .Should().BeEquivalentTo("routes[r].timeout", "routes[r].retry.per_try_timeout");
        ConfigValidator.ValidateRoute(route with { Timeout = TimeSpan.FromDays(1), Retry = new RetryPolicySpec { PerTryTimeout = TimeSpan.FromDays(1) } }, State(Cluster("web")))
            .Should().BeEmpty();
    }

    [Test]
    public void ValidateCluster_TlsFilesAtPushTime_MustExistBeFilesAndHoldPem()
    {
        using var dir = new TempDirectory();
        var good = dir.Combine("ca.pem");
        File.WriteAllText(good, Certificate);
        var notPem = dir.Combine("shadow");
        File.WriteAllText(notPem, "root:*:19000:0:99999:7:::\n");

        string? Problem(string file) => ConfigValidator.ValidateCluster(
            Cluster("c") with { Tls = new UpstreamTlsSpec { TrustedCaFile = file } }, ValidationOptions.PushTime).SingleOrDefault()?.Message;

        Problem(good).Should().BeNull();
        Problem(dir.Combine("nope.pem")).Should().Contain("does not exist");
        Problem(dir.Path).Should().Contain("is a directory");
        Problem(notPem).Should().Contain("holds no PEM certificate");
        Problem("ca.pem").Should().Contain("must be an absolute path");
        Problem(good + "\n").Should().Contain("control characters");
    }

    [Test]
    public void ValidateCluster_WithoutFileChecks_OnlyLooksAtThePath()
    {
        var cluster = Cluster("c") with { Tls = new UpstreamTlsSpec { TrustedCaFile = "/nonexistent/ca.pem" } };

        ConfigValidator.ValidateCluster(cluster, ValidationOptions.StructureOnly).Should().BeEmpty("a restored state is not refused for a file that went away");
        ConfigValidator.ValidateCluster(cluster, ValidationOptions.PushTime).Should().ContainSingle()
            .Which.Path.Should().Be("clusters[c].tls.trusted_ca_file");
    }

    [Test]
    public void ValidateCluster_InlinePem_IsCheckedForACertificateBlock()
    {
        ConfigValidator.ValidateCluster(Cluster("c") with { Tls = new UpstreamTlsSpec { TrustedCaPem = Certificate } }).Should().BeEmpty();
        ConfigValidator.ValidateCluster(Cluster("c") with { Tls = new UpstreamTlsSpec { TrustedCaPem = "hello" } }).Should().ContainSingle()
            .Which.Path.Should().Be("clusters[c].tls.trusted_ca_pem");
        ConfigValidator.ValidateCluster(Cluster("c") with { Tls = new UpstreamTlsSpec { TrustedCaPem = Certificate, TrustedCaFile = "/ca.pem" } })
            .Select(e => e.Path).Should().Equal("clusters[c].tls.trusted_ca_pem");
    }

    [Test]
    public void ValidateCluster_CircuitBreakerOfZero_IsRefusedButNoLimitIsFine()
    {
        var zero = Cluster("c") with { CircuitBreakers = new CircuitBreakerSpec { MaxConnections = 0, MaxRetries = 0 } };
        var unlimited = Cluster("c") with { CircuitBreakers = new CircuitBreakerSpec { MaxConnections = CircuitBreakerSpec.NoLimit } };

        ConfigValidator.ValidateCluster(zero).Select(e => e.Path).Should().Equal("clusters[c].circuit_breakers.max_connections");
        ConfigValidator.ValidateCluster(unlimited).Should().BeEmpty();
    }

    [Test]
    public void ValidateRoute_HashPolicies_AreCheckedByKind()
    {
        var route = Route("r", "web") with
        {
            HashPolicies =
            [
                HashPolicySpec.Header("bad header"),
                HashPolicySpec.Cookie("bad;cookie"),
                HashPolicySpec.Cookie("sid", TimeSpan.FromSeconds(-1), "no-slash"),
                HashPolicySpec.SourceIp() with { CookiePath = "/" },
                HashPolicySpec.Header("x-user", terminal: true),
            ],
        };

        ConfigValidator.ValidateRoute(route, State(Cluster("web"))).Select(e => e.Path).Should().BeEquivalentTo(
            "routes[r].hash_policy[0].header",
            "routes[r].hash_policy[1].cookie",
            "routes[r].hash_policy[2].cookie_ttl",
            "routes[r].hash_policy[2].cookie_path",
            "routes[r].hash_policy[3]");
    }

    [Test]
    public void ValidateRoute_OversizedInputs_AreRefusedWithoutEchoingThemWhole()
    {
        var huge = new string('x', 65_000);
        var route = Route(huge, "web") with
        {
            Match = new RouteMatchSpec
            {
                Hosts = [.. Enumerable.Range(0, ModelLimits.MaxHostsPerRoute + 1).Select(i => $"h{i}.example.com")],
                Headers = [new HeaderMatchSpec("x-v", huge)],
                Regex = huge,
            },
        };

        var errors = ConfigValidator.ValidateRoute(route, State(Cluster("web")));

        errors.Select(e => e.Path.Replace(huge, "<huge>", StringComparison.Ordinal)).Should().BeEquivalentTo(
            "routes[<huge>].name", "routes[<huge>].match.regex", "routes[<huge>].match.headers[0].value", "routes[<huge>].match.hosts");
        errors.Should().OnlyContain(e => e.Message.Length < 400);
    }

    [Test]
    public void Validate_TooManyRoutes_IsRefused()
    {
        var state = DesiredState.Empty.WithCluster(Cluster("web"));
        foreach (var i in Enumerable.Range(0, ModelLimits.MaxRoutes + 1))
        {
            state = state.WithRoute(Route($"r{i}", "web"));
        }

        ConfigValidator.Validate(state).Should().ContainSingle().Which.Path.Should().Be("routes");
    }

    [Test]
    public void Quote_LongOrControlText_IsCutAndKeptOnOneLine()
    {
        ValidationText.Quote("a\r\nb").Should().Be("'a\\u000d\\u000ab'");
        var quoted = ValidationText.Quote(new string('é', 500));
        System.Text.Encoding.UTF8.GetByteCount(quoted).Should().BeLessThan(ValidationText.MaxEchoBytes + 40);
        quoted.Should().EndWith("…' (500 characters)");
    }
}
