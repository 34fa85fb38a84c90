using Grpc.HealthCheck;
using Grpc.Reflection;
using MarchProxy.Alb.Api.Events;
using MarchProxy.Alb.Health;
using MarchProxy.Api.V1;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MarchProxy.Alb.Api;

public static class ModuleApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ModuleService façade (the API key is checked by <see cref="ApiKeyMiddleware"/>),
    /// grpc.health.v1, gRPC reflection (v1 and v1alpha, listing the API port's services only),
    /// readiness, and the default <see cref="IMetricsReader"/> (TryAdd: register another one before,
    /// or Replace it after, to serve real metrics).
    /// </summary>
    public static IServiceCollection AddModuleApi(this IServiceCollection services)
    {
        services.AddGrpc();
        // ModuleServiceBinding reports undecodable requests through the request's services.
        services.AddHttpContextAccessor();
        services.TryAddSingleton<UndecodableRequests>();
        services.TryAddSingleton<AckWaiter>();
        services.TryAddSingleton<MutationRunner>();
        services.TryAddSingleton<StatusReporter>();
        services.TryAddSingleton<ReloadCoordinator>();
        services.TryAddSingleton<ConfigEventHub>();
        services.TryAddSingleton<ApiStreamShutdown>();
        services.TryAddSingleton<ReadinessProbe>();
        services.TryAddSingleton<IMetricsReader, EmptyMetricsReader>();
        services.TryAddSingleton<HealthServiceImpl>();

        var apiServices = new[]
        {
            ModuleService.Descriptor,
            Grpc.Health.V1.Health.Descriptor,
            Grpc.Reflection.V1.ServerReflection.Descriptor,
            Grpc.Reflection.V1Alpha.ServerReflection.Descriptor,
        };
        services.TryAddSingleton(new ReflectionServiceImpl(apiServices));
        services.TryAddSingleton(new ReflectionV1ServiceImpl(apiServices));
        return services;
    }
}
