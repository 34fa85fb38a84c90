using MarchProxy.Alb.Api;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MarchProxy.Alb.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>OpenTelemetry's standard variable; when set, metrics and traces are also exported over OTLP.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The <c>service.name</c> resource attribute.</summary>
    public const string ServiceName = "marchproxy-alb";

    /// <summary>
    /// <see cref="AddAlbTelemetry(IServiceCollection, bool)"/>, exporting over OTLP when the process
    /// environment sets <see cref="OtlpEndpointVariable"/>. The OTLP exporter itself reads the
    /// standard <c>OTEL_EXPORTER_OTLP_*</c> variables (endpoint, protocol, headers).
    /// </summary>
    public static IServiceCollection AddAlbTelemetry(this IServiceCollection services) =>
        services.AddAlbTelemetry(exportOtlp: !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable)));

    /// <summary>
    /// Registers the ALB's telemetry: <see cref="AlbMetrics"/> (which replaces the control plane's
    /// no-op <see cref="IControlPlaneObserver"/>), the Envoy stats bridge and its poller, GetMetrics'
    /// <see cref="IMetricsReader"/>, the mutation span/counter interceptor, tracing decorators of the
    /// store's <see cref="IStatePublisher"/> and <see cref="IStatePersistence"/> and of
    /// <see cref="IAckLedger"/> (Scrutor's decoration), <see cref="ServedConfig"/> as an
    /// <see cref="IServedStateObserver"/>, and the OpenTelemetry SDK (Prometheus exporter; OTLP when
    /// <paramref name="exportOtlp"/>). Call it after the control plane, the supervisor and the API are
    /// registered: it decorates their services and throws when one is missing.
    /// </summary>
    public static IServiceCollection AddAlbTelemetry(this IServiceCollection services, bool exportOtlp)
    {
        services.AddOptionsWithValidateOnStart<TelemetryOptions, TelemetryOptionsValidator>().BindConfiguration(TelemetryOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        services.TryAddSingleton<ServedConfig>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServedStateObserver, ServedConfig>(sp => sp.GetRequiredService<ServedConfig>()));
        services.TryAddSingleton<AlbTracing>();
        services.TryAddSingleton<EnvoyStatsBridge>();
        services.TryAddSingleton<EnvoyStatsMeasurements>();
        services.TryAddSingleton<AlbMetrics>();
        services.AddHostedService<EnvoyStatsPoller>();
        services.AddHostedService<MetricsStartup>();
        services.Replace(ServiceDescriptor.Singleton<IControlPlaneObserver>(sp => sp.GetRequiredService<AlbMetrics>()));
        services.Replace(ServiceDescriptor.Singleton<IMetricsReader, EnvoyMetricsReader>());

        services.TryAddSingleton<MutationTelemetryInterceptor>();
        services.AddGrpc().AddServiceOptions<ModuleServiceImpl>(options => options.Interceptors.Add<MutationTelemetryInterceptor>());

        // Tracing only: removing these decorators changes no metric (the served state reaches
        // ServedConfig through IServedStateObserver).
        Decorate<IStatePublisher>(services, (inner, sp) => new TracingStatePublisher(inner, sp.GetRequiredService<AlbTracing>()));
        Decorate<IStatePersistence>(services, (inner, sp) =>
            new TracingStatePersistence(inner, sp.GetRequiredService<AlbTracing>(), sp.GetRequiredService<AlbMetrics>()));
        Decorate<IAckLedger>(services, (inner, sp) => new TracingAckLedger(inner, sp.GetRequiredService<AlbTracing>()));

        var openTelemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(AlbMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (exportOtlp)
        {
            openTelemetry.WithTracing(tracing => tracing
                .AddSource(AlbTracing.SourceName)
                .AddAspNetCoreInstrumentation(options => options.Filter = context =>
                    context.Request.Path != "/metrics" && context.Request.Path != "/healthz" && context.Request.Path != "/readyz")
                .AddOtlpExporter());
        }

        return services;
    }

    private static void Decorate<TService>(IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        if (!services.TryDecorate(decorate))
        {
            throw new InvalidOperationException(
                $"{typeof(TService).Name} is not registered: call AddAlbTelemetry after the services it decorates.");
        }
    }
}
