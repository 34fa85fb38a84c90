using MarchProxy.Alb.State;
using MarchProxy.Alb.State.Standalone;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.State.Standalone;

public sealed class StandaloneConfigLoaderTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void Load_ShippedDefaultConfig_ProxiesEverythingToTheAlbsHealthEndpoint()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, AlbStateServiceCollectionExtensions.DefaultConfigFile);
        var loader = new StandaloneConfigLoader(null, [shipped], defaultListenerPort: 10000);

        var result = loader.Load();

        result.Status.Should().Be(StandaloneLoadStatus.Loaded, result.Message);
        var state = result.State!;
        state.Listeners.Values.Should().ContainSingle().Which.Should().Be(new ListenerSpec { Name = "public", Address = "0.0.0.0", Port = 10000 });
        var route = state.Routes["alb-self"];
        route.Match.PathPrefix.Should().Be("/");
        route.Cluster.Should().Be("alb-self");
        route.Timeout.Should().Be(TimeSpan.FromSeconds(5));
        var cluster = state.Clusters["alb-self"];
        cluster.Endpoints.Should().Equal(new EndpointSpec("127.0.0.1", 8080));
        cluster.HealthCheck!.HttpPath.Should().Be("/healthz");
        ConfigValidator.Validate(state).Should().BeEmpty();
    }

    [Test]
    public void Load_CompleteExample_MapsEveryField()
    {
        var files = new RecordingTlsFiles();

        var result = Load(StandaloneExamples.Complete, tlsFiles: files);

        result.Status.Should().Be(StandaloneLoadStatus.Loaded, result.Message);
        files.Checked.Should().BeEquivalentTo(
            [("/etc/alb/tls/cert.pem", PemKind.Certificate), ("/etc/alb/tls/key.pem", PemKind.PrivateKey), ("/etc/ssl/certs/ca-certificates.crt", PemKind.Certificate)],
            "every TLS file is checked when the file is loaded");
        var state = result.State!;
        ConfigValidator.Validate(state).Should().BeEmpty();
        state.Listeners["public-tls"].Should().Be(new ListenerSpec
        {
            Name = "public-tls",
            Port = 10443,
            Tls = new ListenerTlsSpec { CertificateChain = new DataSpec { FilePath = "/etc/alb/tls/cert.pem" }, PrivateKey = new DataSpec { FilePath = "/etc/alb/tls/key.pem" } },
        });

        var api = state.Routes["api"];
        api.Order.Should().Be(1);
        api.Match.PathPrefix.Should().Be("/api/");
        api.Match.Hosts.Should().Equal("api.example.com", "*.api.example.com");
        api.Match.Headers.Should().Equal(new HeaderMatchSpec("x-tenant", "blue"));
        api.Timeout.Should().Be(TimeSpan.FromSeconds(30));
        api.RateLimit.Should().Be(new RateLimitSpec(1000, 100));
        api.Retry.Should().Be(new RetryPolicySpec { RetryOn = "5xx,connect-failure", NumRetries = 2, PerTryTimeout = TimeSpan.FromSeconds(2) });
        state.Routes["checkout"].Match.Path.Should().Be("/checkout");
        state.Routes["checkout"].Backends.Should().Equal(new WeightedBackend("checkout-blue", 90), new WeightedBackend("checkout-green", 10));
        state.Routes["assets"].Match.Regex.Should().Be(@"^/assets/.+\.(css|js)$");
        state.Routes["ws"].WebSocket.Should().BeTrue();
        state.Routes["ws"].Timeout.Should().Be(TimeSpan.FromHours(1));
        state.Routes["maintenance"].Enabled.Should().BeFalse();

        var cluster = state.Clusters["api"];
        cluster.Endpoints.Should().Equal(new EndpointSpec("10.0.1.10", 8080, 3), new EndpointSpec("10.0.1.11", 8080));
        cluster.LoadBalancing.Should().Be(LoadBalancingPolicy.LeastRequest);
        cluster.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(2));
        cluster.Http2.Should().BeTrue();
        cluster.HealthCheck.Should().Be(new HealthCheckSpec { HttpPath = "/health", Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(1), HealthyThreshold = 2, UnhealthyThreshold = 3 });
        cluster.OutlierDetection.Should().Be(new OutlierDetectionSpec { Consecutive5xx = 5, Interval = TimeSpan.FromSeconds(10), BaseEjectionTime = TimeSpan.FromSeconds(30), MaxEjectionPercent = 50 });
        cluster.CircuitBreakers.Should().Be(new CircuitBreakerSpec { MaxConnections = 1000, MaxPendingRequests = 100, MaxRequests = 1000, MaxRetries = 3 });
        state.Clusters["static"].Endpoints.Should().Equal(new EndpointSpec("static.internal", 443));
        state.Clusters["static"].Tls.Should().Be(new UpstreamTlsSpec { Sni = "static.internal", TrustedCaFile = "/etc/ssl/certs/ca-certificates.crt" });
    }

    [Test]
    public void Load_InvalidValues_ReportsEveryProblemWithItsPath()
    {
        var result = Load("""
            {
              "Proxy": {
                "Listeners": { "l": { "Address": "any", "Port": 70000 } },
                "Routes": {
                  "r": { "Match": { "Path": "x", "ExactPath": "/y" }, "Backends": { "nope": 0 }, "ClusterId": "c" },
                  "bad name": { "ClusterId": "c" }
                },
                "Clusters": {
                  "c": { "Destinations": { "d": { "Address": "10.0.0.1" } }, "LoadBalancingPolicy": "Fastest" },
                  "e": { }
                }
              }
            }
            """);

        result.Status.Should().Be(StandaloneLoadStatus.Invalid);
        result.Violations.Select(v => v.Field).Should().BeEquivalentTo(
            "Proxy:Listeners:l:Address",
            "Proxy:Listeners:l:Port",
            "Proxy:Clusters:c:Destinations:d:Address",
            "Proxy:Clusters:c:LoadBalancingPolicy",
            "Proxy:Clusters:e:Destinations",
            "Proxy:Routes:r:Match:ExactPath",
            "Proxy:Routes:r:Match:Path",
            "Proxy:Routes:r:ClusterId",
            "Proxy:Routes:r:Backends:nope",
            "Proxy:Routes:r:Backends",
            "Proxy:Routes:bad name");
    }

    [Test]
    public void Load_TlsFileMissingOrNotPem_NamesTheFileSetting()
    {
        var notPem = _dir.Combine("shadow");
        File.WriteAllText(notPem, "root:*:19000:0:99999:7:::\n");

        var result = Load($$"""
            {
              "Proxy": {
                "Listeners": { "tls": { "Port": 10443, "Tls": { "CertificateFile": "{{_dir.Combine("missing.pem")}}", "KeyFile": "{{notPem}}" } } },
                "Clusters": { "c": { "Destinations": { "d": { "Address": "10.0.0.1:80" } }, "Tls": { "TrustedCaFile": "relative/ca.pem" } } }
              }
            }
            """);

        result.Status.Should().Be(StandaloneLoadStatus.Invalid);
        result.Violations.Should().BeEquivalentTo(
        [
            new FieldViolation("Proxy:Listeners:tls:Tls:CertificateFile", $"'{_dir.Combine("missing.pem")}' does not exist (or is not visible to the ALB)"),
            new FieldViolation("Proxy:Listeners:tls:Tls:KeyFile", $"'{notPem}' holds no PEM private key (-----BEGIN … PRIVATE KEY-----)"),
            new FieldViolation("Proxy:Clusters:c:Tls:TrustedCaFile", "'relative/ca.pem' must be an absolute path (Envoy does not run in the ALB's directory)"),
        ]);
    }

    [Test]
    public void Load_InlinePem_IsAcceptedWithoutFiles()
    {
        const string Certificate = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n";
        const string Key = "-----BEGIN EC PRIVATE KEY-----\\nMHc\\n-----END EC PRIVATE KEY-----\\n";

        var result = Load($$"""
            {
              "Proxy": {
                "Listeners": { "tls": { "Port": 10443, "Tls": { "CertificatePem": "{{Certificate}}", "KeyPem": "{{Key}}" } } },
                "Clusters": { "c": { "Destinations": { "d": { "Address": "10.0.0.1:80" } }, "Tls": { "TrustedCaPem": "{{Certificate}}" } } }
              }
            }
            """);

        result.Status.Should().Be(StandaloneLoadStatus.Loaded, result.Message);
        result.State!.Listeners["tls"].Tls!.PrivateKey.Inline.Should().StartWith("-----BEGIN EC PRIVATE KEY-----");
        result.State.Clusters["c"].Tls!.TrustedCaPem.Should().StartWith("-----BEGIN CERTIFICATE-----");
    }

    [Test]
    public void Load_HashPolicies_MapInOrder()
    {
        var result = Load("""
            {
              "Proxy": {
                "Routes": { "r": { "ClusterId": "c", "HashPolicy": [ { "Header": "x-user", "Terminal": true }, { "Cookie": "sid", "CookieTtl": "1h", "CookiePath": "/" }, { "SourceIp": true } ] } },
                "Clusters": { "c": { "Destinations": { "d": { "Address": "10.0.0.1:80" } }, "LoadBalancingPolicy": "RingHash" } }
              }
            }
            """);

        result.Status.Should().Be(StandaloneLoadStatus.Loaded, result.Message);
        result.State!.Routes["r"].HashPolicies.Should().Equal(
            HashPolicySpec.Header("x-user", terminal: true),
            HashPolicySpec.Cookie("sid", TimeSpan.FromHours(1), "/"),
            HashPolicySpec.SourceIp());
    }

    [Test]
    public void Load_HashPolicyWithTwoKeys_NamesIt()
    {
        var result = Load("""
            { "Proxy": { "Routes": { "r": { "ClusterId": "c", "HashPolicy": [ { "Header": "x", "SourceIp": true } ] } }, "Clusters": { "c": { "Destinations": { "d": { "Address": "10.0.0.1:80" } } } } } }
            """);

        result.Violations.Should().ContainSingle().Which.Field.Should().Be("Proxy:Routes:r:HashPolicy:0");
    }

    [Test]
    public void Load_ManyProblems_ReportsTheFirstTwentyAndCountsTheRest()
    {
        var routes = string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"r{i}\": {{ \"ClusterId\": \"ghost\" }}"));

        var result = Load($$"""{ "Proxy": { "Routes": { {{routes}} } } }""");

        result.Violations.Should().HaveCount(StandaloneConfigMapper.MaxReported + 1);
        result.Violations[^1].Description.Should().Be("20 more problems not listed");
        result.Message.Length.Should().BeLessThan(10_000);
    }

    [Test]
    public void Load_UnknownProperty_IsAnErrorNamingIt()
    {
        var result = Load("""{ "Proxy": { "Routes": { "r": { "Cluster": "c" } } } }""");

        result.Status.Should().Be(StandaloneLoadStatus.Invalid);
        result.Violations.Should().ContainSingle().Which.Description.Should().Contain("'Cluster'");
    }

    [Test]
    public void Load_BadDuration_NamesThePath()
    {
        var result = Load("""{ "Proxy": { "Routes": { "r": { "ClusterId": "c", "Timeout": "soon" } } } }""");

        result.Status.Should().Be(StandaloneLoadStatus.Invalid);
        result.Violations.Should().ContainSingle().Which.Field.Should().Be("Proxy:Routes:r:Timeout");
    }

    [Test]
    public void Load_NoProxySection_IsInvalid()
    {
        var result = Load("""{ "Logging": {} }""");

        result.Status.Should().Be(StandaloneLoadStatus.Invalid);
        result.Violations.Single().Field.Should().Be("Proxy");
    }

    [Test]
    public void Load_RouteGivenTwice_IsInvalidNamingIt()
    {
        var result = Load("""{ "Proxy": { "Routes": { "r": { "ClusterId": "a" }, "r": { "ClusterId": "b" } }, "Clusters": {} } }""");

        result.Status.Should().Be(StandaloneLoadStatus.Invalid);
        result.Message.Should().Contain("Proxy:Routes:r").And.Contain("given more than once");
    }

    [Test]
    public void Load_PathIsADirectory_IsInvalidSayingSo()
    {
        Directory.CreateDirectory(_dir.Combine("config.json"));

        var result = new StandaloneConfigLoader(_dir.Combine("config.json"), [], 10000).Load();

        result.Status.Should().Be(StandaloneLoadStatus.Invalid);
        result.Message.Should().Contain("is a directory");
    }

    [Test]
    public void Load_ListenerWithoutPort_UsesTheDefaultListenerPort()
    {
        var result = Load("""{ "Proxy": { "Listeners": { "l": {} } } }""", defaultListenerPort: 12345);

        result.State!.Listeners["l"].Port.Should().Be(12345);
    }

    [Test]
    public void Load_ConfiguredFileMissing_IsMissing()
    {
        var loader = new StandaloneConfigLoader(_dir.Combine("nope.json"), [], 10000);

        loader.Load().Status.Should().Be(StandaloneLoadStatus.Missing);
    }

    [Test]
    public void Load_NothingConfiguredAndNoDefaultFile_IsNotConfigured()
    {
        var loader = new StandaloneConfigLoader(null, [_dir.Combine("config/alb.json")], 10000);

        loader.Load().Status.Should().Be(StandaloneLoadStatus.NotConfigured);
        ((IStandaloneConfigSource)loader).Path.Should().BeNull();
    }

    private StandaloneLoadResult Load(string json, int defaultListenerPort = 10000, ITlsFileProbe? tlsFiles = null)
    {
        var path = _dir.Combine("alb.json");
        File.WriteAllText(path, json);
        return new StandaloneConfigLoader(path, [], defaultListenerPort, tlsFiles).Load();
    }

    /// <summary>Accepts every TLS file and remembers which were asked about.</summary>
    private sealed class RecordingTlsFiles : ITlsFileProbe
    {
        public List<(string Path, PemKind Kind)> Checked { get; } = [];

        public string? Check(string path, PemKind kind)
        {
            Checked.Add((path, kind));
            return null;
        }
    }

    [Test]
    public void Load_UnknownSetting_NamesItWithItsLineAndNoDotNetTypeNames()
    {
        var path = _dir.Combine("alb.json");
        File.WriteAllText(path, "{\n  \"Proxy\": {\n    \"Rotes\": {}\n  }\n}\n");

        var result = new StandaloneConfigLoader(path, [], 10000).Load();

        result.Status.Should().Be(StandaloneLoadStatus.Invalid);
        var violation = result.Violations.Should().ContainSingle().Subject;
        violation.Field.Should().Be("Proxy:Rotes");
        violation.Description.Should().StartWith("line 3,").And.Contain("unknown setting 'Rotes'");
        result.Message.Should().NotContain("MarchProxy.").And.NotContain(".NET").And.NotContain("LineNumber");
    }

    [Test]
    public void Load_WrongValueType_SaysWhatIsExpectedOnTheRightLine()
    {
        var path = _dir.Combine("alb.json");
        File.WriteAllText(path, "{\n  \"Proxy\": {\n    \"Routes\": {\n      \"r\": { \"Order\": \"first\" }\n    }\n  }\n}\n");

        var result = new StandaloneConfigLoader(path, [], 10000).Load();

        var violation = result.Violations.Should().ContainSingle().Subject;
        violation.Field.Should().Be("Proxy:Routes:r:Order");
        violation.Description.Should().StartWith("line 4,").And.EndWith("expected a whole number");
        result.Message.Should().NotContain("System.Int32");
    }
}
