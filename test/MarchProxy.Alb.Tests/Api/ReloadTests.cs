using Grpc.Core;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Api;

public sealed class ReloadTests : AlbHostFixture
{
    private const string FileV1 = """
        {
          "Proxy": {
            "Routes": {
              "site": { "Match": { "Path": "/" }, "ClusterId": "site" },
              "docs": { "Match": { "Path": "/docs/" }, "ClusterId": "site" }
            },
            "Clusters": {
              "site": { "Destinations": { "a": { "Address": "10.1.0.1:80" } } }
            }
          }
        }
        """;

    private const string FileV2 = """
        {
          "Proxy": {
            "Routes": {
              "site": { "Match": { "Path": "/" }, "ClusterId": "site", "Timeout": "7s" },
              "docs": { "Match": { "Path": "/documentation/" }, "ClusterId": "site" },
              "blog": { "Match": { "Path": "/blog/" }, "ClusterId": "site" }
            },
            "Clusters": {
              "site": { "Destinations": { "a": { "Address": "10.1.0.2:80" } } }
            }
          }
        }
        """;

    protected override string ConfigJson => FileV1;

    [Test]
    public async Task Start_EmptyDataDir_LoadsTheStandaloneFileAsVersion1()
    {
        var routes = await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();

        routes.Version.Should().Be(1);
        routes.Routes.Select(r => r.Name).Should().Equal("docs", "site");
    }

    [Test]
    public async Task Reload_FileChanged_AppliesTheFileButKeepsWhatTheApiChanged()
    {
        var client = Host.Client;
        await client.UpsertRouteAsync(new UpsertRouteRequest { Route = Requests.Route("docs", "site", "/api-docs/") }).ResponseAsync.DefaultTimeout();
        await client.UpsertClusterAsync(Requests.UpsertCluster("extra")).ResponseAsync.DefaultTimeout();
        await File.WriteAllTextAsync(Host.ConfigFile, FileV2);

        var reload = await client.ReloadAsync(new ReloadRequest()).ResponseAsync.DefaultTimeout();

        reload.Success.Should().BeTrue();
        reload.ReloadTimestamp.Should().BePositive();
        reload.Message.Should().Contain("version 4");
        reload.Version.Should().Be(4);
        reload.Unchanged.Should().BeFalse();
        var routes = (await client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.ToDictionary(r => r.Name);
        routes.Keys.Should().BeEquivalentTo("site", "docs", "blog");
        routes["site"].TimeoutSeconds.Should().Be(7, "the file wins for what the API never touched");
        routes["docs"].Prefix.Should().Be("/api-docs/", "the API wins for what it changed");
        var clusters = (await client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.ToDictionary(c => c.Name);
        clusters.Keys.Should().BeEquivalentTo("site", "extra");
        clusters["site"].Endpoints.Single().Address.Should().Be("10.1.0.2");
    }

    [Test]
    public async Task Reload_RouteDeletedThroughTheApi_StaysDeleted()
    {
        await Host.Client.DeleteRouteAsync(new DeleteRequest { Name = "docs" }).ResponseAsync.DefaultTimeout();

        var reload = await Host.Client.ReloadAsync(new ReloadRequest()).ResponseAsync.DefaultTimeout();

        var routes = await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        routes.Routes.Select(r => r.Name).Should().Equal("site");
        reload.Unchanged.Should().BeTrue("the file still has the route, but the API deleted it, so nothing changes");
        reload.Version.Should().Be(2);
        routes.Version.Should().Be(2);
    }

    [Test]
    public async Task Reload_InvalidFile_InvalidArgumentWithThePathsAndNothingChanges()
    {
        await File.WriteAllTextAsync(Host.ConfigFile, """
            { "Proxy": { "Routes": { "r": { "Match": { "Path": "nope" }, "ClusterId": "missing" } } } }
            """);

        var error = await Host.Client.ReloadAsync(new ReloadRequest()).ShouldFailWith(StatusCode.InvalidArgument);

        error.BadFields().Should().BeEquivalentTo("Proxy:Routes:r:Match:Path", "Proxy:Routes:r:ClusterId");
        var routes = await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout();
        routes.Version.Should().Be(1);
        routes.Routes.Select(r => r.Name).Should().Equal("docs", "site");
    }

    [Test]
    public async Task Reload_FileDeleted_FailedPrecondition()
    {
        File.Delete(Host.ConfigFile);

        await Host.Client.ReloadAsync(new ReloadRequest()).ShouldFailWith(StatusCode.FailedPrecondition);

        (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Version.Should().Be(1);
    }

    [Test]
    public async Task Reload_ForceInControlPlaneOnlyMode_ReloadsAndSaysNoEnvoyWasRestarted()
    {
        var reload = await Host.Client.ReloadAsync(new ReloadRequest { Force = true }).ResponseAsync.DefaultTimeout();

        reload.Success.Should().BeTrue();
        reload.Message.Should().Contain("control-plane-only");
        reload.Unchanged.Should().BeTrue();
        (await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).ConfigVersion.Should().Be(1);
    }
}
