using Google.Rpc;
using Grpc.Core;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>
/// What Envoy (or a gRPC client) would reject is refused at the API, naming the request field; what
/// Envoy accepts goes through. One test per example, each leaving the state and version untouched.
/// </summary>
public sealed class EnvoyRulesApiTests : SharedAlbHostFixture
{
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private ModuleService.ModuleServiceClient Client => Host.Client;

    [OneTimeSetUp]
    public async Task SeedAsync() =>
        await Client.UpsertClusterAsync(Requests.UpsertCluster("blue")).ResponseAsync.DefaultTimeout();

    [TestCase("\\Z")]
    [TestCase("\\e")]
    [TestCase("a{1001}")]
    [TestCase("(?x)/a b")]
    [TestCase("\\p{IsGreek}")]
    [TestCase("(?n)/a")]
    [TestCase("(alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda|mu|nu|xi|omicron|pi|rho|sigma|tau|upsilon|phi|chi|psi|omega|one|two|three)")]
    public async Task UpsertRoute_RegexRe2OrEnvoyRefuses_IsInvalidOnRouteRegex(string regex)
    {
        var version = await VersionAsync();

        var error = await Client.UpsertRouteAsync(Upsert(new RouteConfig { Name = "re", Regex = regex, ClusterName = "blue", Enabled = true }))
            .ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("route.regex");
        (await VersionAsync()).Should().Be(version);
    }

    [TestCase("/(?P<n>a)")]
    [TestCase("/\\x{41}")]
    public async Task UpsertRoute_RegexRe2Accepts_IsApplied(string regex)
    {
        var reply = await Client.UpsertRouteAsync(Upsert(new RouteConfig { Name = "re-ok", Regex = regex, ClusterName = "blue", Enabled = true })).ResponseAsync.DefaultTimeout();

        reply.Success.Should().BeTrue();
    }

    [TestCase("/nonexistent/ca.pem", "does not exist")]
    [TestCase("/etc/shadow", "'/etc/shadow'")]
    [TestCase("/etc/ssl/ca.pem\n", "control characters")]
    [TestCase("ca.pem", "absolute path")]
    public async Task UpsertCluster_TrustedCaFileEnvoyCannotLoad_IsInvalidOnTheFile(string file, string reason)
    {
        var cluster = Requests.Cluster("tls");
        cluster.Tls = new UpstreamTlsConfig { Enabled = true, TrustedCaFile = file };

        var error = await Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = cluster }).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("cluster.tls.trusted_ca_file");
        error.Status.Detail.Should().Contain(reason);
    }

    [Test]
    public async Task UpsertCluster_TrustedCaInlineOrReadableFile_IsApplied()
    {
        var file = Dir.Combine("ca.pem");
        await File.WriteAllTextAsync(file, Pem);
        var inline = Requests.Cluster("tls-inline");
        inline.Tls = new UpstreamTlsConfig { Enabled = true, TrustedCaPem = Pem, Sni = "backend.internal" };
        var fromFile = Requests.Cluster("tls-file");
        fromFile.Tls = new UpstreamTlsConfig { Enabled = true, TrustedCaFile = file };

        (await Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = inline }).ResponseAsync.DefaultTimeout()).Success.Should().BeTrue();
        (await Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = fromFile }).ResponseAsync.DefaultTimeout()).Success.Should().BeTrue();
    }

    [TestCase("[::1]")]
    [TestCase("[::1]:80")]
    [TestCase("[fe80::1]")]
    public async Task UpsertCluster_BracketedIpv6Endpoint_IsInvalidOnTheAddress(string address)
    {
        var error = await Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = Requests.Cluster("v6", address: address) })
            .ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("cluster.endpoints[0].address");
        error.Status.Detail.Should().Contain("without brackets");
    }

    [TestCase("blue\r\n")]
    [TestCase("a\nb")]
    [TestCase("a\0b")]
    public async Task UpsertRoute_HeaderValueWithCrLfOrNul_IsInvalidOnTheHeader(string value)
    {
        var route = Requests.Route("hdr", "blue");
        route.Headers["x-env"] = value;

        var error = await Client.UpsertRouteAsync(new UpsertRouteRequest { Route = route }).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("route.headers[x-env]");
    }

    [Test]
    public async Task UpsertRoute_PerTryTimeoutOverADay_IsInvalid()
    {
        var route = Requests.Route("slow", "blue");
        route.Retry = new RetryPolicy { NumRetries = 1, PerTryTimeoutMs = uint.MaxValue };

        var error = await Client.UpsertRouteAsync(new UpsertRouteRequest { Route = route }).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().Equal("route.retry.per_try_timeout_ms");
    }

    [Test]
    public async Task UpsertCluster_CircuitBreakersOfZero_MeanNoLimitAndReadBackAsZero()
    {
        var cluster = Requests.Cluster("breakers");
        cluster.CircuitBreakers = new CircuitBreakerConfig { MaxConnections = 0, MaxPendingRequests = 10, MaxRequests = 0, MaxRetries = 0 };

        await Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = cluster }).ResponseAsync.DefaultTimeout();
        var read = (await Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.Single(c => c.Name == "breakers");

        read.CircuitBreakers.Should().Be(cluster.CircuitBreakers);
    }

    [Test]
    public async Task UpsertRoute_HashPolicyWithoutAKey_IsInvalidOnThePolicy()
    {
        var route = Requests.Route("hash", "blue");
        route.HashPolicy.Add(new HashPolicy { Header = "x-user" });
        route.HashPolicy.Add(new HashPolicy { Terminal = true });
        route.HashPolicy.Add(new HashPolicy { Cookie = "bad cookie" });

        var error = await Client.UpsertRouteAsync(new UpsertRouteRequest { Route = route }).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().BeEquivalentTo("route.hash_policy[1]", "route.hash_policy[2].cookie");
    }

    [Test]
    public async Task UpsertRoute_HugeName_RefusedWithASmallReply()
    {
        var error = await Client.UpsertRouteAsync(new UpsertRouteRequest { Route = Requests.Route(new string('n', 65_000), "blue") })
            .ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().ContainSingle().Which.Length.Should().BeLessThan(300);
        error.Status.Detail.Length.Should().BeLessThan(2048);
        error.Trailers.Sum(t => t.IsBinary ? t.ValueBytes.Length : t.Value.Length).Should().BeLessThan(8 * 1024, "a C-core client's metadata limit starts at 8 KB");
    }

    [Test]
    public async Task UpsertCluster_ThousandsOfViolations_ReportsTheFirstTwentyAndKeepsTheChannelUsable()
    {
        var cluster = new ClusterConfig { Name = "many" };
        cluster.Endpoints.AddRange(Enumerable.Range(0, 1000).Select(i => new Endpoint { Address = $"bad address {i}", Port = 0 }));

        var error = await Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = cluster }).ShouldFailWith(StatusCode.InvalidArgument);

        error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Should().HaveCount(20);
        error.Status.Detail.Should().Contain("more");
        error.Status.Detail.Length.Should().BeLessThan(2048);
        (await Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).ModuleType.Should().Be("ALB", "the next call on the channel works");
    }

    [Test]
    public async Task GetStatus_Metadata_StatesTheRegexSyntax()
    {
        var status = await Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();

        status.Metadata["regex_syntax"].Should().Contain("RE2").And.Contain("100");
    }

    private static UpsertRouteRequest Upsert(RouteConfig route) => new() { Route = route };

    private async Task<long> VersionAsync() => (await Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Version;
}
