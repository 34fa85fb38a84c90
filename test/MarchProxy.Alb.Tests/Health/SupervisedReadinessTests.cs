using System.Net;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.Supervisor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MarchProxy.Alb.Tests.Health;

/// <summary>With a supervised Envoy, readiness, GetStatus and Reload(force) follow the supervisor.</summary>
public sealed class SupervisedReadinessTests : AlbHostFixture
{
    private StubEnvoySupervisor _supervisor = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void SetUp() => _http = new HttpClient { BaseAddress = Host.Address(EndpointRole.Health) };

    [TearDown]
    public void TearDown() => _http.Dispose();

    protected override void ConfigureServices(IServiceCollection services)
    {
        _supervisor = new StubEnvoySupervisor();
        services.Replace(ServiceDescriptor.Singleton<IEnvoySupervisor>(_supervisor));
    }

    [Test]
    public async Task Readyz_EnvoyStarting_Is503WithTheReason()
    {
        var response = await _http.GetAsync(new Uri("/readyz", UriKind.Relative)).DefaultTimeout();
        var status = await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Envoy is not ready");
        status.Health.Should().Be(HealthStatus.Starting);
        status.EnvoyState.Should().Be("STARTING");
        status.EnvoyVersion.Should().Be("1.36.2");
        status.Metadata["mode"].Should().Be("supervised");
    }

    [Test]
    public async Task Readyz_EnvoyStalledBeforeLive_Is503UnhealthyWithTheReason()
    {
        _supervisor.Status = _supervisor.Status with { State = EnvoyState.Starting, StartStalled = true, LastError = "Envoy epoch 0 (pid 7) is not LIVE 00:01:00 after it started" };

        var response = await _http.GetAsync(new Uri("/readyz", UriKind.Relative)).DefaultTimeout();
        var status = await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("not LIVE long after it started");
        status.Health.Should().Be(HealthStatus.Unhealthy, "a start that never completes is reported, not left STARTING");
        status.Metadata["envoy_last_error"].Should().Contain("not LIVE");
    }

    [Test]
    public async Task Readyz_EnvoyLiveAndReady_Is200AndHealthy()
    {
        _supervisor.Status = _supervisor.Status with { State = EnvoyState.Live, IsServing = true };
        _supervisor.Ready = true;

        var response = await _http.GetAsync(new Uri("/readyz", UriKind.Relative)).DefaultTimeout();
        var status = await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        status.Health.Should().Be(HealthStatus.Healthy);
        status.EnvoyState.Should().Be("LIVE");
    }

    [Test]
    public async Task GetStatus_CrashLoop_IsUnhealthy()
    {
        _supervisor.Status = _supervisor.Status with { State = EnvoyState.CrashLoop };

        var status = await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();

        status.Health.Should().Be(HealthStatus.Unhealthy);
        status.EnvoyState.Should().Be("CRASH_LOOP");
    }

    [Test]
    public async Task Reload_ForceAndHotRestartSucceeds_ReportsTheNewEpoch()
    {
        var reload = await Host.Client.ReloadAsync(new ReloadRequest { Force = true }).ResponseAsync.DefaultTimeout();

        reload.Success.Should().BeTrue();
        reload.Message.Should().Contain("epoch 0 to 1");
        _supervisor.HotRestarts.Should().Be(1);
    }

    [Test]
    public async Task Reload_ForceAndHotRestartFails_SuccessFalseWithTheReasonButTheConfigIsApplied()
    {
        _supervisor.NextHotRestart = HotRestartResult.Failure(HotRestartOutcome.TimedOut, 0, "epoch 1 was not LIVE within 10s");

        var reload = await Host.Client.ReloadAsync(new ReloadRequest { Force = true }).ResponseAsync.DefaultTimeout();

        reload.Success.Should().BeFalse();
        reload.Message.Should().Contain("epoch 1 was not LIVE within 10s");
        reload.Unchanged.Should().BeTrue("the file did not change, so the config version stays");
        (await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).ConfigVersion.Should().Be(1);
    }

    [Test]
    public async Task Reload_NoForce_DoesNotRestartEnvoy()
    {
        await Host.Client.ReloadAsync(new ReloadRequest()).ResponseAsync.DefaultTimeout();

        _supervisor.HotRestarts.Should().Be(0);
    }
}
