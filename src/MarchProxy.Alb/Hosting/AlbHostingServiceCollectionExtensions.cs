using MarchProxy.Alb.Api.Events;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Fleet;
using MarchProxy.Alb.Health;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Server;
using MarchProxy.ControlPlane.Translation;
using MarchProxy.Supervisor;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Hosting;

public static class AlbHostingServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the options (sections Alb, Envoy, Translation, StreamMemory), sets up the
    /// Kestrel endpoints, the start-up and shutdown sequences, the supervisor's view of xDS acceptance,
    /// and the fleet's view of readiness and of WatchEvents.
    /// </summary>
    public static IServiceCollection AddAlbHosting(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AlbOptions, AlbOptionsValidator>().BindConfiguration(AlbOptions.SectionName);
        services.AddOptions<EnvoyOptions>().BindConfiguration(EnvoyOptions.SectionName);
        services.AddOptions<TranslationOptions>().BindConfiguration(TranslationOptions.SectionName);
        services.AddOptions<StreamMemoryOptions>().BindConfiguration(StreamMemoryOptions.SectionName);
        // The host's shutdown timeout is the whole budget (SHUTDOWN_TIMEOUT): ShutdownSequence checks at
        // start that Envoy's drain and escalation fit in it with the servers' stop. Read from
        // configuration, not IOptions<AlbOptions>: the host resolves HostOptions while it is built, and
        // bad settings must be reported together at start by the validators.
        services.AddOptions<HostOptions>().Configure<IConfiguration>((host, configuration) =>
        {
            var key = $"{AlbOptions.SectionName}:{nameof(AlbOptions.ShutdownTimeout)}";
            if (TimeSpan.TryParse(configuration[key], System.Globalization.CultureInfo.InvariantCulture, out var timeout) && timeout > TimeSpan.Zero)
            {
                host.ShutdownTimeout = timeout;
            }
        });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new HostInfo(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ListenEndpoints>();
        services.TryAddSingleton<InFlightRequests>();
        services.TryAddSingleton<ApiCertificateLoader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, KestrelEndpointSetup>());
        services.TryAddSingleton<IEnvoyConfigAcceptance, EnvoyConfigAcceptance>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AlbStartup>());
        services.TryAddSingleton<ShutdownState>();
        services.TryAddSingleton<ShutdownSequence>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ShutdownSequence>());

        // The fleet sits below the API and readiness: it reads readiness and announces the versions it
        // applies through interfaces it (or State) owns, implemented above it and joined here.
        services.TryAddSingleton<IMemberReadiness>(sp => sp.GetRequiredService<ReadinessProbe>());
        services.TryAddSingleton<IConfigAppliedSink>(sp => sp.GetRequiredService<ConfigEventHub>());
        return services;
    }
}
