using Grpc.Core;
using Grpc.Health.V1;
using MarchProxy.Alb.Hosting;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Api;

public sealed class ApiKeyTests
{
    private const string Key = "s3cret-key";

    private TempDirectory _dir = null!;
    private AlbTestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = new TempDirectory();
        _host = await AlbTestHost.StartAsync(_dir, settings: new Dictionary<string, string?> { ["Alb:ClusterApiKey"] = Key });
    }

    [TearDown]
    public async Task TearDown()
    {
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Test]
    public async Task GetStatus_NoKey_Unauthenticated()
    {
        await _host.Client.GetStatusAsync(new StatusRequest()).ShouldFailWith(StatusCode.Unauthenticated);
    }

    [Test]
    public async Task UpsertCluster_WrongKey_UnauthenticatedAndNothingChanges()
    {
        await _host.CreateClient("wrong").UpsertClusterAsync(Requests.UpsertCluster("c")).ShouldFailWith(StatusCode.Unauthenticated);

        var clusters = await _host.CreateClient(Key).GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout();
        clusters.Clusters.Should().BeEmpty();
        clusters.Version.Should().Be(1);
    }

    [Test]
    public async Task UpsertCluster_RightKey_Succeeds()
    {
        var response = await _host.CreateClient(Key).UpsertClusterAsync(Requests.UpsertCluster("c")).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
    }

    [Test]
    public async Task HealthCheck_NoKey_StaysOpen()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(_host.CreateChannel(EndpointRole.Api));

        var response = await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        response.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    [Test]
    public async Task Reflection_NoKey_StaysOpen()
    {
        var services = await MarchProxy.Alb.Tests.Hosting.ReflectionTests.ListServicesAsync(_host.CreateChannel(EndpointRole.Api));

        services.Should().Contain("marchproxy.ModuleService");
    }
}
