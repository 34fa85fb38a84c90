using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarchProxy.Supervisor.Tests;

[TestFixture]
public sealed class SupervisorServiceCollectionExtensionsTests
{
    [Test]
    public async Task AddEnvoySupervisor_Twice_OneSupervisorThatIsAlsoTheOnlyHostedService()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IEnvoyConfigAcceptance, NeverAccepted>();

        services.AddEnvoySupervisor().AddEnvoySupervisor();
        await using var provider = services.BuildServiceProvider();

        var supervisor = provider.GetRequiredService<IEnvoySupervisor>();
        provider.GetServices<IHostedService>().Should().ContainSingle().Which.Should().BeSameAs(supervisor);
        provider.GetRequiredService<IEnvoyAdminClient>().Should().NotBeNull();
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
    }

    [Test]
    public async Task AddEnvoySupervisor_InvalidOptions_HostFailsToStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IEnvoyConfigAcceptance, NeverAccepted>();
        builder.Services.AddEnvoySupervisor();
        builder.Services.Configure<EnvoyOptions>(o => o.LogLevel = "loud");
        using var host = builder.Build();

        var start = () => host.StartAsync();

        await start.Should().ThrowAsync<OptionsValidationException>();
    }

    [Test]
    public async Task AddEnvoySupervisor_Disabled_HostStartsInControlPlaneOnlyMode()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IEnvoyConfigAcceptance, NeverAccepted>();
        builder.Services.AddEnvoySupervisor();
        builder.Services.Configure<EnvoyOptions>(o => o.Enabled = false);
        using var host = builder.Build();

        await host.StartAsync().DefaultTimeout();
        var supervisor = host.Services.GetRequiredService<IEnvoySupervisor>();

        supervisor.State.Should().Be(EnvoyState.Absent);
        await host.StopAsync().DefaultTimeout();
    }

    [Test]
    public async Task AdminClient_RequestFails_HttpClientLogsNothing()
    {
        // The supervisor polls twice a second: HttpClient's own lines (three per request, a stack trace
        // per failure) would flood the log. Failures are reported by the supervisor, once.
        var collector = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(collector)))
            .AddSingleton<IEnvoyConfigAcceptance, NeverAccepted>();
        services.AddEnvoySupervisor();
        services.Configure<EnvoyOptions>(o => o.AdminPort = FreePorts.Get());
        await using var provider = services.BuildServiceProvider();
        var admin = provider.GetRequiredService<IEnvoyAdminClient>();

        var ready = () => admin.GetReadyAsync();

        await ready.Should().ThrowAsync<HttpRequestException>("nothing listens on the admin port");
        collector.GetSnapshot().Should().NotContain(r => r.Category != null && r.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
    }

    [Test]
    public void AdminBaseAddress_Ipv6_Bracketed()
    {
        SupervisorServiceCollectionExtensions.AdminBaseAddress(new EnvoyOptions { AdminAddress = "::1", AdminPort = 9901 })
            .Should().Be(new Uri("http://[::1]:9901/"));
    }

    private sealed class NeverAccepted : IEnvoyConfigAcceptance
    {
        public bool HasAcceptedInitialConfig => false;
    }
}
