using System.Diagnostics.Metrics;
using MarchProxy.Alb.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>An <see cref="AlbMetrics"/> over a real meter factory, with a fake admin client, supervisor and clock.</summary>
internal sealed class MetricsHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public MetricsHarness(FakeEnvoySupervisor? supervisor = null, int maxLabelValues = 100)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Supervisor = supervisor ?? new FakeEnvoySupervisor();
        var options = Options.Create(new TelemetryOptions { MaxLabelValues = maxLabelValues });
        Bridge = new EnvoyStatsBridge(Admin, Supervisor, options, Time, NullLogger<EnvoyStatsBridge>.Instance);
        Metrics = new AlbMetrics(MeterFactory, ServedConfig, Supervisor, new EnvoyStatsMeasurements(Bridge, ServedConfig, options));
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeEnvoyAdminClient Admin { get; } = new();

    public FakeEnvoySupervisor Supervisor { get; }

    public ServedConfig ServedConfig { get; } = new();

    public EnvoyStatsBridge Bridge { get; }

    public AlbMetrics Metrics { get; }

    public IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    public MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(MeterFactory, AlbMetrics.MeterName, instrument, Time);

    /// <summary>Loads the bridge's cache with <paramref name="stats"/>, as the poller would.</summary>
    public async Task LoadEnvoyStatsAsync(MarchProxy.Supervisor.EnvoyStats stats)
    {
        Admin.AutoAnswer = () => stats;
        Time.Advance(TimeSpan.FromMinutes(1));
        (await Bridge.GetAsync(CancellationToken.None).DefaultTimeout()).Status.Should().Be(EnvoyStatsStatus.Fresh);
    }

    public void Dispose() => _services.Dispose();
}
