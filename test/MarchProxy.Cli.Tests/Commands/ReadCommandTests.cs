using System.Text.Json;
using MarchProxy.Api.V1;
using MarchProxy.Cli.Tests.Infrastructure;

namespace MarchProxy.Cli.Tests.Commands;

/// <summary>status, routes, clusters and metrics against the real ALB.</summary>
public sealed class ReadCommandTests : AlbHostFixture
{
    private CliHarness _cli = null!;

    [SetUp]
    public async Task SetUp()
    {
        _cli = CliHarness.For(Host);
        var cluster = new ClusterConfig { Name = "web" };
        cluster.Endpoints.Add(new Api.V1.Endpoint { Address = "10.0.0.5", Port = 8080 });
        await Host.Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = cluster }).ResponseAsync.DefaultTimeout();
        var route = new RouteConfig { Name = "web", Prefix = "/", ClusterName = "web", Enabled = true, TimeoutSeconds = 15 };
        route.Hosts.Add("www.example.com");
        await Host.Client.UpsertRouteAsync(new UpsertRouteRequest { Route = route }).ResponseAsync.DefaultTimeout();
    }

    [Test]
    public async Task Status_Table_ShowsModuleHealthAndConfigVersion()
    {
        var result = await _cli.RunAsync("status");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Output.Should().Contain("alb-1").And.Contain("HEALTHY").And.Contain("version 3").And.Contain("absent");
    }

    [Test]
    public async Task Status_Json_IsTheResponseWithProtoFieldNames()
    {
        var result = await _cli.RunAsync("status", "-o", "json");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        json.RootElement.GetProperty("module_id").GetString().Should().Be("alb-1");
        json.RootElement.GetProperty("config_version").GetString().Should().Be("3");
        json.RootElement.GetProperty("envoy_state").GetString().Should().Be("absent");
        json.RootElement.GetProperty("xds_nodes").GetArrayLength().Should().Be(0);
    }

    [Test]
    public async Task Routes_Table_ListsEveryRouteWithItsMatchAndBackend()
    {
        var result = await _cli.RunAsync("routes");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Output.Should().Contain("web").And.Contain("prefix /").And.Contain("www.example.com").And.Contain("15s");
        result.Output.Should().Contain("1 route(s), config version 3");
    }

    [Test]
    public async Task Routes_ClusterFilterWithNoUser_ListsNothing()
    {
        var result = await _cli.RunAsync("routes", "--cluster", "other", "-o", "json");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        RoutesResponse.Parser.ParseJson(result.Output).Routes.Should().BeEmpty();
    }

    [Test]
    public async Task Clusters_Json_ParsesBackIntoTheResponse()
    {
        var result = await _cli.RunAsync("clusters", "--output", "json");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        var clusters = ClustersResponse.Parser.ParseJson(result.Output);
        clusters.Clusters.Should().ContainSingle(c => c.Name == "web").Which.Endpoints[0].Address.Should().Be("10.0.0.5");
        clusters.Version.Should().Be(3);
    }

    [Test]
    public async Task Metrics_ControlPlaneOnly_PrintsZeroesPerRoute()
    {
        var result = await _cli.RunAsync("metrics");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Output.Should().Contain("Requests").And.Contain("0 total");
    }

    [Test]
    public async Task Output_FromEnvironment_IsUsedWhenNoFlagIsGiven()
    {
        var result = await _cli.With(GlobalOptions.OutputVariable, "json").RunAsync("clusters");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        ClustersResponse.Parser.ParseJson(result.Output).Clusters.Should().HaveCount(1);
    }

    [Test]
    public async Task Health_ReadyHost_ExitsZero()
    {
        var port = Host.Port(MarchProxy.Alb.Configuration.EndpointRole.Health);

        var ready = await _cli.RunAsync("health", "--url", $"http://127.0.0.1:{port}/readyz");
        var live = await _cli.With("HEALTH_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)).RunAsync("health", "--live", "--server", "127.0.0.1:1");

        ready.ExitCode.Should().Be(ExitCodes.Ok, ready.ToString());
        ready.Output.Should().Contain("\"ready\":true");
        live.ExitCode.Should().Be(ExitCodes.Ok, live.ToString());
        live.Output.Should().Contain($"http://127.0.0.1:{port}/healthz answered 200");
    }

    [Test]
    public async Task Health_NotReadyAnswer_ExitsNotReady()
    {
        var port = Host.Port(MarchProxy.Alb.Configuration.EndpointRole.Health);

        var result = await _cli.RunAsync("health", "--url", $"http://127.0.0.1:{port}/no-such-path");

        result.ExitCode.Should().Be(ExitCodes.NotReady, result.ToString());
    }
}
