using MarchProxy.Alb.Api;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane;
using MarchProxy.ControlPlane.Cache;
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
    /// <see cref="IAckLedger"/>, and the OpenTelemetry SDK (Prometheus exporter; OTLP when
    /// <paramref name="exportOtlp"/>). Call it after the control plane, the supervisor and the API are
    /// registered: it decorates their services and throws when one is missing.
    /// </summary>
    public static IServiceCollection AddAlbTelemetry(this IServiceCollection services, bool exportOtlp)
    {
        services.AddOptionsWithValidateOnStart<TelemetryOptions, TelemetryOptionsValidator>().BindConfiguration(TelemetryOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        services.TryAddSingleton<ServedConfig>();
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

        services.Decorate<IStatePublisher>((inner, sp) =>
            new TracingStatePublisher(inner, sp.GetRequiredService<AlbTracing>(), sp.GetRequiredService<ServedConfig>()));
        services.Decorate<IStatePersistence>((inner, sp) =>
            new TracingStatePersistence(inner, sp.GetRequiredService<AlbTracing>(), sp.GetRequiredService<AlbMetrics>()));
        services.Decorate<IAckLedger>((inner, sp) => new TracingAckLedger(inner, sp.GetRequiredService<AlbTracing>()));

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

    /// <summary>
    /// Replaces the last registration of <typeparamref name="TService"/> with <paramref name="decorate"/>
    /// applied to it, keeping its lifetime.
    /// </summary>
    private static void Decorate<TService>(this IServiceCollection services, Func<TService, IServiceProvider, TService> decorate)
        where TService : class
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException(
                $"{typeof(TService).Name} is not registered: call AddAlbTelemetry after the services it decorates.");
        }

        var inner = services[index];
        services[index] = ServiceDescriptor.Describe(
            typeof(TService),
            sp => decorate((TService)CreateInner(sp, inner), sp),
            inner.Lifetime);
    }

    private static object CreateInner(IServiceProvider sp, ServiceDescriptor inner) =>
        inner.ImplementationInstance
        ?? inner.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!);
}
