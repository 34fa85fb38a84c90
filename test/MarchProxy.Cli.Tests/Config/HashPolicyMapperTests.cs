using MarchProxy.Api.V1;
using MarchProxy.Cli.Config;

namespace MarchProxy.Cli.Tests.Config;

public sealed class HashPolicyMapperTests
{
    [Test]
    public void Map_HeaderCookieAndSourceIp_BecomeTheApisHashPolicies()
    {
        const string Yaml = """
            Proxy:
              Routes:
                web:
                  ClusterId: web
                  HashPolicy:
                    - { Header: x-user-id, Terminal: true }
                    - { Cookie: sid, CookieTtl: 1h, CookiePath: /app }
                    - { SourceIp: true }
              Clusters:
                web:
                  Destinations: { a: { Address: "10.0.0.5:8080" } }
                  Tls: { TrustedCaPem: "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n" }
            """;

        var desired = ConfigFileMapper.Map(ConfigFileReader.Parse(Yaml, yaml: true));

        desired.Violations.Should().BeEmpty();
        desired.Routes.Single().HashPolicy.Should().Equal(
            new HashPolicy { Header = "x-user-id", Terminal = true },
            new HashPolicy { Cookie = "sid", CookieTtlSeconds = 3600, CookiePath = "/app" },
            new HashPolicy { SourceIp = true });
        desired.Clusters.Single().Tls.TrustedCaPem.Should().StartWith("-----BEGIN CERTIFICATE-----");
    }

    [TestCase("{ Header: a, Cookie: b }")]
    [TestCase("{ Terminal: true }")]
    public void Map_NotExactlyOneKey_NamesThePolicy(string policy)
    {
        var yaml = $"Proxy:\n  Routes:\n    web:\n      ClusterId: web\n      HashPolicy: [ {{ SourceIp: true }}, {policy} ]\n";

        var desired = ConfigFileMapper.Map(ConfigFileReader.Parse(yaml, yaml: true));

        var violation = desired.Violations.Should().ContainSingle().Subject;
        violation.Path.Should().Be("Proxy:Routes:web:HashPolicy:1");
        violation.Description.Should().Contain("exactly one of Header, Cookie and SourceIp");
    }
}
