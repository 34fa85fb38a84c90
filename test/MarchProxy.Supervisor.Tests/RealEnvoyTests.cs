using System.Net;
using MarchProxy.Supervisor.Envoy;
using MarchProxy.Supervisor.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MarchProxy.Supervisor.Tests;

/// <summary>
/// The same lifecycle against a real Envoy. They run when ENVOY_BINARY names one or <c>envoy</c> is on
/// PATH; otherwise they are ignored with that reason.
/// </summary>
[TestFixture]
[Category("Envoy")]
public sealed class RealEnvoyTests
{
    private string _envoy = null!;

    [SetUp]
    public void FindEnvoy()
    {
        var configured = Environment.GetEnvironmentVariable("ENVOY_BINARY");
        var found = EnvoyBinaryLocator.Locate(string.IsNullOrEmpty(configured) ? null : configured, Environment.GetEnvironmentVariable("PATH"), out var reason);
        if (found is null)
        {
            Assert.Ignore($"no Envoy binary: set ENVOY_BINARY or put envoy on PATH ({reason})");
        }

        _envoy = found;
    }

    [Test]
    public async Task ModeValidate_OurBootstrap_Accepted()
    {
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => o.BinaryPath = _envoy);
        var path = BootstrapWriter.Write(harness.Options);

        var outcome = await BootstrapValidator.ValidateAsync(_envoy, path, TimeSpan.FromSeconds(60), TimeProvider.System, CancellationToken.None).DefaultTimeout(TimeSpan.FromSeconds(90));

        outcome.IsValid.Should().BeTrue(outcome.Output);
    }

    [TestCase(XdsMode.Delta)]
    [TestCase(XdsMode.Sotw)]
    public async Task Start_PushedRoute_RequestGoesThroughEnvoy(XdsMode mode)
    {
        await using var backend = await StartBackendAsync();
        var resources = new TestAdsResources { ListenerPort = SupervisorHarness.FreePort(), BackendPort = backend.Port };
        await using var harness = await SupervisorHarness.CreateAsync(mode, configure: o => Real(o), resources: resources);

        await harness.StartAsync();
        await harness.WaitForStatusAsync(s => s.State == EnvoyState.Live, TimeSpan.FromSeconds(60));
        await harness.Ads.WaitForAsync(a => a.HasAcceptedInitialConfig);

        harness.Supervisor.EnvoyVersion.Should().Be((await harness.Admin.GetServerInfoAsync().DefaultTimeout()).SemanticVersion);
        (await GetThroughEnvoyAsync(resources.ListenerPort)).Should().Be("hello from the backend");
    }

    [Test]
    public async Task HotRestart_RealEnvoy_NewEpochServesTheSameRoute()
    {
        await using var backend = await StartBackendAsync();
        var resources = new TestAdsResources { ListenerPort = SupervisorHarness.FreePort(), BackendPort = backend.Port };
        await using var harness = await SupervisorHarness.CreateAsync(configure: o => Real(o), resources: resources);
        await harness.StartAsync();
        await harness.WaitForStatusAsync(s => s.State == EnvoyState.Live, TimeSpan.FromSeconds(60));
        await harness.Ads.WaitForAsync(a => a.HasAcceptedInitialConfig);

        var result = await harness.Supervisor.HotRestartAsync().DefaultTimeout(TimeSpan.FromSeconds(60));

        result.Should().Be(HotRestartResult.Success(0, 1));
        (await GetThroughEnvoyAsync(resources.ListenerPort)).Should().Be("hello from the backend");
    }

    private void Real(EnvoyOptions options)
    {
        options.BinaryPath = _envoy;
        options.ReloadGracePeriod = TimeSpan.FromSeconds(30);
        options.StopGracePeriod = TimeSpan.FromSeconds(5);
        options.Concurrency = 1;
    }

    private static async Task<string> GetThroughEnvoyAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/hello")).DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<Backend> StartBackendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("hello from the backend"));
        await app.StartAsync().DefaultTimeout();
        return new Backend(app, new Uri(app.Urls.Single()).Port);
    }

    private sealed record Backend(WebApplication App, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
