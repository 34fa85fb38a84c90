using System.Net;
using System.Text.Json;
using Grpc.Health.V1;
using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Tests.Health;

public sealed class HealthEndpointTests : AlbHostFixture
{
    private HttpClient _http = null!;

    [SetUp]
    public void SetUp() => _http = new HttpClient { BaseAddress = Host.Address(EndpointRole.Health) };

    [TearDown]
    public void TearDown() => _http.Dispose();

    [Test]
    public async Task Healthz_Running_IsAlive()
    {
        var response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative)).DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("status").GetString().Should().Be("alive");
    }

    [Test]
    public async Task Readyz_SnapshotServedAndEnvoyNotSupervised_IsReadyAndSaysWhy()
    {
        var response = await _http.GetAsync(new Uri("/readyz", UriKind.Relative)).DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("ready").GetBoolean().Should().BeTrue();
        body.RootElement.GetProperty("snapshotServed").GetBoolean().Should().BeTrue();
        body.RootElement.GetProperty("envoySupervised").GetBoolean().Should().BeFalse();
        body.RootElement.GetProperty("envoyState").GetString().Should().Be("absent");
        body.RootElement.GetProperty("configVersion").GetInt64().Should().Be(1);
    }

    [Test]
    public async Task GrpcHealth_Started_ServesTheOverallAndModuleServiceStatus()
    {
        var client = new Grpc.Health.V1.Health.HealthClient(Host.CreateChannel(EndpointRole.Api));

        var overall = await client.CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();
        var module = await client.CheckAsync(new HealthCheckRequest { Service = "marchproxy.ModuleService" }).ResponseAsync.DefaultTimeout();

        overall.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
        module.Status.Should().Be(HealthCheckResponse.Types.ServingStatus.Serving);
    }
}
