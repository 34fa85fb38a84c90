using System.Text.Json;
using MarchProxy.Alb.Configuration;
using MarchProxy.Api.V1;
using MarchProxy.Cli.Tests.Infrastructure;

namespace MarchProxy.Cli.Tests.Commands;

/// <summary>The mutating commands against the real ALB: what they change, what they print, how they fail.</summary>
public sealed class MutationCommandTests : AlbHostFixture
{
    private CliHarness _cli = null!;

    [SetUp]
    public void SetUp() => _cli = CliHarness.For(Host);

    [Test]
    public async Task ClusterAndRouteUpsert_AllOptions_StoreWhatWasAsked()
    {
        var cluster = await _cli.RunAsync(
            "cluster", "upsert", "api", "--endpoint", "10.0.0.5:8080=3", "-e", "[fd00::6]:8080", "--lb", "least_request",
            "--connect-timeout", "2s", "--http2", "--health-check", "/healthz", "--health-interval", "3s", "--outlier-5xx", "7",
            "--max-connections", "100", "--sni", "api.internal");
        var route = await _cli.RunAsync(
            "route", "upsert", "api", "--prefix", "/api/", "--cluster", "api", "--host", "api.example.com", "--header", "x-tenant=blue",
            "--timeout", "20s", "--rate-limit", "1000/s", "--burst", "100", "--retry-on", "5xx", "--num-retries", "2", "--per-try-timeout", "500ms", "--websocket");

        cluster.ExitCode.Should().Be(ExitCodes.Ok, cluster.ToString());
        route.ExitCode.Should().Be(ExitCodes.Ok, route.ToString());
        route.Output.Should().Contain("route 'api' created").And.Contain("version: 3");
        var stored = (await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.Single();
        stored.Endpoints.Select(e => (e.Address, e.Port, e.Weight)).Should().Equal(("10.0.0.5", 8080u, 3u), ("fd00::6", 8080u, 1u));
        stored.LbPolicy.Should().Be("LEAST_REQUEST");
        stored.ConnectTimeoutMs.Should().Be(2000);
        stored.Http2.Should().BeTrue();
        stored.HealthCheck.HttpPath.Should().Be("/healthz");
        stored.HealthCheck.IntervalMs.Should().Be(3000);
        stored.OutlierDetection.Consecutive5Xx.Should().Be(7);
        stored.CircuitBreakers.MaxConnections.Should().Be(100);
        stored.Tls.Sni.Should().Be("api.internal");
        var storedRoute = (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Single();
        storedRoute.Prefix.Should().Be("/api/");
        storedRoute.Hosts.Should().Equal("api.example.com");
        storedRoute.Headers.Should().Contain("x-tenant", "blue");
        storedRoute.TimeoutSeconds.Should().Be(20);
        storedRoute.RateLimit.RequestsPerSecond.Should().Be(1000);
        storedRoute.RateLimit.BurstSize.Should().Be(100);
        storedRoute.Retry.Should().Be(new RetryPolicy { RetryOn = "5xx", NumRetries = 2, PerTryTimeoutMs = 500 });
        storedRoute.Websocket.Should().BeTrue();
        storedRoute.Enabled.Should().BeTrue();
    }

    [Test]
    public async Task RouteUpsert_ValidateOnly_ChangesNothing()
    {
        await CreateClusterAsync("web");

        var result = await _cli.RunAsync("route", "upsert", "web", "--cluster", "web", "--validate-only");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Output.Should().Contain("validate_only").And.Contain("nothing changed");
        (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Should().BeEmpty();
    }

    [Test]
    public async Task SetWeight_ExistingClusters_AppliesTheWeights()
    {
        await CreateClusterAsync("blue");
        await CreateClusterAsync("green");
        (await _cli.RunAsync("route", "upsert", "web", "--cluster", "blue")).ExitCode.Should().Be(ExitCodes.Ok);

        var result = await _cli.RunAsync("set-weight", "web", "blue=90", "green=10", "--wait");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Output.Should().Contain("applied_weights").And.Contain("0 node(s) ACKed");
        var route = (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Single();
        route.Weights.Select(w => (w.BackendName, w.Weight)).Should().Equal(("blue", 90), ("green", 10));
    }

    [Test]
    public async Task SetWeight_UnknownCluster_ExitsInvalidArgumentNamingTheField()
    {
        await CreateClusterAsync("blue");
        (await _cli.RunAsync("route", "upsert", "web", "--cluster", "blue")).ExitCode.Should().Be(ExitCodes.Ok);

        var text = await _cli.RunAsync("set-weight", "web", "blue=90", "gren=10");
        var json = await _cli.RunAsync("set-weight", "web", "blue=90", "gren=10", "-o", "json");

        text.ExitCode.Should().Be(ExitCodes.InvalidArgument, text.ToString());
        text.Error.Should().Contain("INVALID_ARGUMENT").And.Contain("weights[1].backend_name: cluster 'gren' does not exist");
        json.ExitCode.Should().Be(ExitCodes.InvalidArgument);
        using var error = JsonDocument.Parse(json.Error);
        var body = error.RootElement.GetProperty("error");
        body.GetProperty("code").GetString().Should().Be("INVALID_ARGUMENT");
        body.GetProperty("exit_code").GetInt32().Should().Be(ExitCodes.InvalidArgument);
        body.GetProperty("field_violations")[0].GetProperty("field").GetString().Should().Be("weights[1].backend_name");
        json.Output.Should().BeEmpty();
    }

    [Test]
    public async Task RateLimit_SetThenOff_AddsAndRemovesTheLimit()
    {
        await CreateClusterAsync("web");
        (await _cli.RunAsync("route", "upsert", "web", "--cluster", "web")).ExitCode.Should().Be(ExitCodes.Ok);

        var set = await _cli.RunAsync("rate-limit", "web", "500/s", "--burst", "50");
        var afterSet = (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Single().RateLimit;
        var off = await _cli.RunAsync("rate-limit", "web", "off");
        var afterOff = (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Single().RateLimit;

        set.ExitCode.Should().Be(ExitCodes.Ok, set.ToString());
        afterSet.RequestsPerSecond.Should().Be(500);
        afterSet.BurstSize.Should().Be(50);
        off.ExitCode.Should().Be(ExitCodes.Ok, off.ToString());
        afterOff.Should().BeNull();
    }

    [Test]
    public async Task RouteDelete_Unknown_ExitsNotFound()
    {
        var result = await _cli.RunAsync("route", "delete", "nope");

        result.ExitCode.Should().Be(ExitCodes.NotFound, result.ToString());
        result.Error.Should().Contain("NOT_FOUND").And.Contain("nope");
    }

    [Test]
    public async Task ClusterDelete_UsedByARoute_ExitsFailedPreconditionAndKeepsIt()
    {
        await CreateClusterAsync("web");
        (await _cli.RunAsync("route", "upsert", "web", "--cluster", "web")).ExitCode.Should().Be(ExitCodes.Ok);

        var refused = await _cli.RunAsync("cluster", "delete", "web");
        var routeGone = await _cli.RunAsync("route", "delete", "web", "--wait");
        var deleted = await _cli.RunAsync("cluster", "delete", "web");

        refused.ExitCode.Should().Be(ExitCodes.FailedPrecondition, refused.ToString());
        routeGone.ExitCode.Should().Be(ExitCodes.Ok, routeGone.ToString());
        deleted.ExitCode.Should().Be(ExitCodes.Ok, deleted.ToString());
        (await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.Should().BeEmpty();
    }

    [Test]
    public async Task Reload_WaitAndChangedFile_AppliesTheFileAndReportsTheVersion()
    {
        await File.WriteAllTextAsync(Host.ConfigFile, """
            { "Proxy": { "Clusters": { "file": { "Destinations": { "a": { "Address": "10.0.9.9:80" } } } },
                         "Routes": { "file": { "Match": { "Path": "/file" }, "ClusterId": "file" } } } }
            """);

        var result = await _cli.RunAsync("reload", "--wait", "-o", "json");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        var response = ReloadResponse.Parser.ParseJson(result.Output);
        response.Success.Should().BeTrue();
        response.Version.Should().Be(2);
        response.Ack.Should().NotBeNull();
        (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Should().ContainSingle(r => r.Name == "file");
    }

    [Test]
    public async Task Wait_ConnectedNodeAcks_ReportsTheAck()
    {
        await CreateClusterAsync("web");
        await using var node = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), "envoy-1");

        var result = await _cli.RunAsync("route", "upsert", "web", "--cluster", "web", "--wait");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Output.Should().Contain("1 node(s) ACKed, 0 pending");
    }

    [Test]
    public async Task Wait_ConnectedNodeNacks_ExitsNackedAndSaysTheChangeIsApplied()
    {
        await CreateClusterAsync("web");
        await using var node = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), "envoy-1");
        node.Behavior = AckBehavior.Nack;

        var result = await _cli.RunAsync("cluster", "upsert", "web2", "--endpoint", "10.0.0.7:80", "--wait");

        result.ExitCode.Should().Be(ExitCodes.Nacked, result.ToString());
        result.Error.Should().Contain("ABORTED").And.Contain(FakeXdsNode.NackError).And.Contain("the change is applied as version 3");
        (await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.Should().Contain(c => c.Name == "web2");
    }

    private async Task CreateClusterAsync(string name)
    {
        var result = await _cli.RunAsync("cluster", "upsert", name, "--endpoint", "10.0.0.5:8080");
        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
    }
}
