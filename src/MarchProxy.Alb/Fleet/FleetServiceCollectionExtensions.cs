using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.State;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Fleet;

public static class FleetServiceCollectionExtensions
{
    /// <summary>
    /// Fleet mode: with STATE_STORE=etcd the config store's <see cref="IStateStore"/> is
    /// <see cref="EtcdStateStore"/>, and the watch (<see cref="EtcdStateSync"/>) and the member key
    /// (<see cref="FleetMembership"/>) run. With the file store none of it is built. Call before AddAlbState.
    /// </summary>
    public static IServiceCollection AddAlbFleet(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<EtcdOptions, EtcdOptionsValidator>().BindConfiguration(EtcdOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EtcdConnection>();
        services.TryAddSingleton<StoreHealth>();
        services.TryAddSingleton<FleetView>();
        services.TryAddSingleton<EtcdStateStore>();
        services.TryAddSingleton<LocalAckTracker>();
        services.TryAddSingleton<FleetAckWaiter>();
        services.TryAddSingleton<FleetStatusReader>();
        services.TryAddSingleton<FleetMetrics>();
        services.TryAddSingleton<EtcdStateSync>();
        services.TryAddSingleton<FleetMembership>();
        services.TryAddSingleton<IStateStore>(sp => IsFleet(sp)
            ? sp.GetRequiredService<EtcdStateStore>()
            : new FileStateStore(sp.GetRequiredService<IStatePersistence>(), sp.GetRequiredService<ILogger<ConfigStore>>()));
        services.AddSingleton<IHostedService>(sp => IsFleet(sp) ? sp.GetRequiredService<EtcdStateSync>() : new IdleHostedService());
        services.AddSingleton<IHostedService>(sp => IsFleet(sp) ? sp.GetRequiredService<FleetMembership>() : new IdleHostedService());
        return services;
    }

    /// <summary>True when STATE_STORE is etcd.</summary>
    public static bool IsFleet(IServiceProvider services) =>
        string.Equals(services.GetRequiredService<IOptions<AlbOptions>>().Value.StateStore, "etcd", StringComparison.OrdinalIgnoreCase);
}
