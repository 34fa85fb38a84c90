using System.Diagnostics.Metrics;
using MarchProxy.Alb.Api;
using MarchProxy.Alb.State;
using MarchProxy.Alb.Telemetry;
using MarchProxy.ControlPlane;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;
using MarchProxy.Supervisor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MarchProxy.Alb.Tests.Telemetry;

public sealed class TelemetryRegistrationTests
{
    [Test]
    public void AddAlbTelemetry_AfterTheOtherComponents_ReplacesTheirSeamsAndDecoratesTheStore()
    {
        using var services = Compose(exportOtlp: false).BuildServiceProvider();

        services.GetRequiredService<IControlPlaneObserver>().Should().BeSameAs(services.GetRequiredService<AlbMetrics>());
        services.GetRequiredService<IMetricsReader>().Should().BeOfType<EnvoyMetricsReader>();
        services.GetRequiredService<IStatePublisher>().Should().BeOfType<TracingStatePublisher>();
        services.GetRequiredService<IStatePersistence>().Should().BeOfType<TracingStatePersistence>();
        services.GetRequiredService<IAckLedger>().Should().BeOfType<TracingAckLedger>();
        services.GetRequiredService<MeterProvider>().Should().NotBeNull();
    }

    [Test]
    public void AddAlbTelemetry_WithoutOtlp_RecordsNoSpans()
    {
        using var services = Compose(exportOtlp: false).BuildServiceProvider();

        services.GetService<TracerProvider>().Should().BeNull();
        using var span = services.GetRequiredService<AlbTracing>().StartMutation("UpsertRoute");
        span.Should().BeNull();
    }

    [Test]
    public void AddAlbTelemetry_WithOtlp_RecordsTheAlbSpans()
    {
        using var services = Compose(exportOtlp: true).BuildServiceProvider();

        services.GetRequiredService<TracerProvider>().Should().NotBeNull();
        using var span = services.GetRequiredService<AlbTracing>().StartTranslate(3);
        span.Should().NotBeNull();
        span!.Recorded.Should().BeTrue();
    }

    [Test]
    public void AddAlbTelemetry_BeforeTheStoreIsRegistered_SaysSo()
    {
        var services = new ServiceCollection().AddLogging();

        var act = () => services.AddAlbTelemetry(exportOtlp: false);

        act.Should().Throw<InvalidOperationException>().WithMessage("*IStatePublisher*AddAlbTelemetry after*");
    }

    [Test]
    public async Task ServedState_WithoutTheTracingDecorators_DrivesConfigVersionAndGetMetrics()
    {
        var collection = new ServiceCollection().AddLogging();
        collection.AddMarchProxyControlPlane();
        collection.AddSingleton<IEnvoySupervisor>(new FakeEnvoySupervisor());
        collection.AddSingleton<IEnvoyAdminClient>(new FakeEnvoyAdminClient());
        collection.AddSingleton<IStatePublisher, FakeStatePublisher>();
        collection.AddSingleton<IStatePersistence>(new FakeStatePersistence());
        collection.AddSingleton<IMetricsReader, EmptyMetricsReader>();
        await using var services = collection.AddAlbTelemetry(exportOtlp: false).BuildServiceProvider();
        services.GetRequiredService<AlbMetrics>();
        using var version = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), AlbMetrics.MeterName, "marchproxy.config.version");
        // The publish path alone, with no tracing decorator around it.
        var publisher = ActivatorUtilities.CreateInstance<SnapshotStatePublisher>(services);
        var state = (DesiredState.Empty with { Version = 3 })
            .WithCluster(new ClusterSpec { Name = "web", Endpoints = [new EndpointSpec("10.0.0.1", 80)] })
            .WithRoute(new RouteSpec { Name = "checkout", Cluster = "web" });

        publisher.Publish(state).Success.Should().BeTrue();

        version.RecordObservableInstruments();
        version.LastMeasurement!.Value.Should().Be(3);
        services.GetRequiredService<IMetricsReader>().Read().Routes.Keys.Should().Equal("checkout");
    }

    private static IServiceCollection Compose(bool exportOtlp)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddMarchProxyControlPlane();
        services.AddSingleton<IEnvoySupervisor>(new FakeEnvoySupervisor());
        services.AddSingleton<IEnvoyAdminClient>(new FakeEnvoyAdminClient());
        services.AddSingleton<IStatePublisher, FakeStatePublisher>();
        services.AddSingleton<IStatePersistence>(new FakeStatePersistence());
        services.AddSingleton<IMetricsReader, EmptyMetricsReader>();
        return services.AddAlbTelemetry(exportOtlp);
    }
}
