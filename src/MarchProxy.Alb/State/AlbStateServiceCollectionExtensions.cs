using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.State.Standalone;
using MarchProxy.ControlPlane.Publishing;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.State;

public static class AlbStateServiceCollectionExtensions
{
    /// <summary>
    /// Default location of the standalone config: under the working directory (where DATA_DIR and
    /// ALB_CONFIG_FILE are resolved too; `dotnet run` uses the repository root), else beside the binary.
    /// </summary>
    public const string DefaultConfigFile = "config/alb.json";

    /// <summary>
    /// Registers the config store and what it needs: the persisted state in DATA_DIR, the standalone
    /// config file (ALB_CONFIG_FILE, else config/alb.json), the model validator and the snapshot publisher.
    /// </summary>
    public static IServiceCollection AddAlbState(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IStatePersistence>(sp => new FileStatePersistence(
            sp.GetRequiredService<IOptions<AlbOptions>>().Value.DataDir,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FileStatePersistence>>()));
        services.TryAddSingleton<IStandaloneConfigSource>(sp =>
        {
            var contentRoot = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new StandaloneConfigLoader(
                sp.GetRequiredService<IOptions<AlbOptions>>().Value.ConfigFile,
                [Path.Combine(Directory.GetCurrentDirectory(), DefaultConfigFile), Path.Combine(contentRoot, DefaultConfigFile)],
                sp.GetRequiredService<IOptions<TranslationOptions>>().Value.DefaultListenerPort);
        });
        // The validator dry-runs the undecorated publisher: the store's own (traced) dry run then reuses that build.
        services.TryAddSingleton<IStateValidator>(sp => new ModelStateValidator(new SnapshotStatePublisher(sp.GetRequiredService<SnapshotPublisher>(), [])));
        services.TryAddSingleton<IStatePublisher, SnapshotStatePublisher>();
        services.TryAddSingleton<IStateStore>(sp => new FileStateStore(
            sp.GetRequiredService<IStatePersistence>(),
            sp.GetRequiredService<ILogger<ConfigStore>>()));
        services.TryAddSingleton(sp => new ConfigStore(
            sp.GetRequiredService<IStateStore>(),
            sp.GetRequiredService<IStatePublisher>(),
            sp.GetRequiredService<IStateValidator>(),
            sp.GetRequiredService<IStandaloneConfigSource>(),
            sp.GetRequiredService<ILogger<ConfigStore>>()));
        return services;
    }
}
