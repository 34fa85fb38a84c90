using MarchProxy.Cli.Config;

namespace MarchProxy.Cli.Tests.Config;

public sealed class ConfigFileReaderTests
{
    [Test]
    public void Parse_YamlAndJsonOfOneConfig_MapToTheSameRequests()
    {
        const string Yaml = """
            Proxy:
              Clusters:
                api:
                  Destinations:
                    a1: { Address: "https://api.internal", Weight: 3 }
                  LoadBalancingPolicy: RingHash
                  ConnectTimeout: 1500ms
              Routes:
                api:
                  Match: { Path: "/api/{**catch-all}", Headers: [ { Name: x-tenant, Value: blue } ] }
                  ClusterId: api
                  Timeout: 30
                  RateLimit: { RequestsPerSecond: 100 }
                  Retry: { RetryOn: "5xx" }
                  Enabled: false
            """;
        const string Json = """
            { "proxy": { "clusters": { "api": { "destinations": { "a1": { "address": "https://api.internal", "weight": 3 } },
                                                "loadBalancingPolicy": "RingHash", "connectTimeout": "00:00:01.5", } },
                         // comments and trailing commas, as in config/alb.json
                         "routes": { "api": { "match": { "path": "/api/{**catch-all}", "headers": [ { "name": "x-tenant", "value": "blue" } ] },
                                              "clusterId": "api", "timeout": "30s", "rateLimit": { "requestsPerSecond": 100 },
                                              "retry": { "retryOn": "5xx" }, "enabled": false } } } }
            """;

        var fromYaml = ConfigFileMapper.Map(ConfigFileReader.Parse(Yaml, yaml: true));
        var fromJson = ConfigFileMapper.Map(ConfigFileReader.Parse(Json, yaml: false));

        fromYaml.Violations.Should().BeEmpty();
        fromYaml.Clusters.Should().Equal(fromJson.Clusters);
        fromYaml.Routes.Should().Equal(fromJson.Routes);
        var cluster = fromYaml.Clusters.Single();
        cluster.LbPolicy.Should().Be("RING_HASH");
        cluster.ConnectTimeoutMs.Should().Be(1500);
        cluster.Endpoints.Single().Should().Be(new Api.V1.Endpoint { Address = "api.internal", Port = 443, Weight = 3 });
        cluster.Tls.Should().Be(new Api.V1.UpstreamTlsConfig { Enabled = true, Sni = "api.internal" });
        var route = fromYaml.Routes.Single();
        route.Prefix.Should().Be("/api/");
        route.Headers.Should().Contain("x-tenant", "blue");
        route.TimeoutSeconds.Should().Be(30);
        route.RateLimit.Should().Be(new Api.V1.RateLimitConfig { RequestsPerSecond = 100, Enabled = true });
        route.Retry.NumRetries.Should().Be(1, "the file's default is one retry");
        route.Enabled.Should().BeFalse();
    }

    [TestCase("Proxy:\n  Routes:\n    web:\n      Timeout: soon\n", "Proxy:Routes:web:Timeout", "duration")]
    [TestCase("Proxy:\n  Clusters:\n    web:\n      Destinations: { a: { Adress: x } }\n", "Proxy:Clusters:web:Destinations:a", "unknown setting 'Adress'")]
    [TestCase("Proxy: [1, 2\n", "line", "column")]
    [TestCase("Other: {}\n", "Proxy section", "missing")]
    public void Parse_BadFile_NamesWhereAndWhat(string yaml, string where, string what)
    {
        var act = () => ConfigFileReader.Parse(yaml, yaml: true);

        act.Should().Throw<UsageException>().Which.Message.Should().Contain(where).And.Contain(what);
    }

    [TestCase("""{ "Proxy": { "Routes": { "r": { "ClusterId": "a" }, "r": { "ClusterId": "b" } } } }""", "Proxy:Routes", "given more than once")]
    [TestCase("""{ "Proxy": { "Listeners": { "main": { "Prot": 10000 } } } }""", "Proxy:Listeners:main", "unknown setting 'Prot'")]
    public void Parse_JsonTheAlbWouldRefuse_NamesWhereAndWhat(string json, string where, string what)
    {
        var act = () => ConfigFileReader.Parse(json, yaml: false);

        act.Should().Throw<UsageException>().Which.Message.Should().StartWith(where).And.Contain(what);
    }

    [TestCase("10.0.0.5", "needs a port")]
    [TestCase("http://10.0.0.5:8080/path", "must look like")]
    [TestCase("", "is required")]
    public void Map_BadDestination_IsAViolationAtItsPath(string address, string description)
    {
        var file = ConfigFileReader.Parse($$"""{ "Proxy": { "Clusters": { "c": { "Destinations": { "d": { "Address": "{{address}}" } } } } } }""", yaml: false);

        var desired = ConfigFileMapper.Map(file);

        desired.Violations.Should().ContainSingle().Which.Should().Match<FileViolation>(v => v.Path == "Proxy:Clusters:c:Destinations:d:Address" && v.Description.Contains(description));
    }

    [Test]
    public void Map_UnknownPolicyAndClusterIdWithBackends_AreViolations()
    {
        var file = ConfigFileReader.Parse("""
            Proxy:
              Clusters: { c: { Destinations: { d: { Address: "10.0.0.1:80" } }, LoadBalancingPolicy: Fastest } }
              Routes: { r: { ClusterId: c, Backends: { c: 1 } } }
            """, yaml: true);

        var desired = ConfigFileMapper.Map(file);

        desired.Violations.Select(v => v.Path).Should().BeEquivalentTo("Proxy:Clusters:c:LoadBalancingPolicy", "Proxy:Routes:r:ClusterId");
    }
}
