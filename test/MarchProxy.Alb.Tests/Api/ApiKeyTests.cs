using Grpc.Core;
using Grpc.Health.V1;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Api;

public sealed class ApiKeyTests : AlbHostFixture
{
    private const string Key = "s3cret-key";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Alb:ClusterApiKey"] = Key };

    [Test]
    public async Task GetStatus_NoKey_Unauthenticated()
    {
        await Host.Client.GetStatusAsync(new StatusRequest()).ShouldFailWith(StatusCode.Unauthenticated);
    }

    [Test]
    public async Task UpsertCluster_WrongKey_UnauthenticatedAndNothingChanges()
    {
        await Host.CreateClient("wrong").UpsertClusterAsync(Requests.UpsertCluster("c")).ShouldFailWith(StatusCode.Unauthenticated);

        var clusters = await Host.CreateClient(Key).GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout();
        clusters.Clusters.Should().BeEmpty();
        clusters.Version.Should().Be(1);
    }

    [Test]
    public async Task UpsertCluster_RightKey_Succeeds()
    {
        var response = await Host.CreateClient(Key).UpsertClusterAsync(Requests.UpsertCluster("c")).ResponseAsync.DefaultTimeout();

        response.Success.Should().BeTrue();
    }

    [Test]
    public async Task HealthCheck_NoKey_StaysOpen()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(Host.CreateChannel(EndpointRole.Api));

        var response = await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        response.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    [Test]
    public async Task Reflection_NoKey_StaysOpen()
    {
        var services = await MarchProxy.Alb.Tests.Hosting.ReflectionTests.ListServicesAsync(Host.CreateChannel(EndpointRole.Api));

        services.Should().Contain("marchproxy.ModuleService");
    }
}
