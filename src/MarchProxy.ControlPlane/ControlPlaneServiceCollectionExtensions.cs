using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Publishing;
using MarchProxy.ControlPlane.Server;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MarchProxy.ControlPlane;

public static class ControlPlaneServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded xDS control plane: the snapshot cache, the ACK ledger (also as the
    /// <see cref="INodeStatusFeed"/>), the Envoy and
    /// gRPC translators (with <see cref="TranslationOptions"/>, which the host binds), the publisher,
    /// a no-op <see cref="IControlPlaneObserver"/> (replace it to get telemetry), gRPC and the
    /// <see cref="AdsService"/>, and the <see cref="StreamMemoryTrimmer"/> (with <see cref="StreamMemoryOptions"/>,
    /// which the host binds). The host maps <see cref="AdsService"/> on the xDS port only.
    /// </summary>
    public static IServiceCollection AddMarchProxyControlPlane(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TranslationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TranslationOptions>, TranslationOptionsValidator>());
        services.TryAddSingleton<ISnapshotCache, SnapshotCache>();
        services.TryAddSingleton<AckLedger>();
        services.TryAddSingleton<IAckLedger>(sp => sp.GetRequiredService<AckLedger>());
        services.TryAddSingleton<INodeStatusFeed>(sp => sp.GetRequiredService<AckLedger>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceTranslator, EnvoyTranslator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResourceTranslator, GrpcTranslator>());
        services.TryAddSingleton<SnapshotPublisher>();
        services.TryAddSingleton<IControlPlaneObserver, NullControlPlaneObserver>();
        services.AddGrpc();
        services.TryAddSingleton<AdsShutdown>();
        services.TryAddSingleton<AdsService>();
        services.AddOptions<StreamMemoryOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StreamMemoryOptions>, StreamMemoryOptionsValidator>());
        services.AddHostedService<StreamMemoryTrimmer>();
        return services;
    }
}
