using Grpc.HealthCheck;
using Grpc.Reflection;
using MarchProxy.Alb.Api;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Fleet;
using MarchProxy.Alb.Health;
using MarchProxy.Alb.State;
using MarchProxy.Alb.Telemetry;
using MarchProxy.ControlPlane;
using MarchProxy.ControlPlane.Server;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// The composition of the ALB, shared by Program.cs and the functional tests: configuration
/// sources, services, and the endpoint map.
/// </summary>
public static class AlbHost
{
    /// <summary>
    /// A web application builder rooted at the application's folder, whose configuration is appsettings.json, appsettings.{Environment}.json,
    /// the standard environment variables, the seed's environment variables (GRPC_PORT, ...; they win),
    /// then the command line, then <paramref name="configure"/> (tests).
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="environment">The environment variables to map; null reads the process environment.</param>
    /// <param name="configure">Adds configuration sources last (tests use it for their settings).</param>
    public static WebApplicationBuilder CreateBuilder(
        string[] args,
        IReadOnlyDictionary<string, string?>? environment = null,
        Action<IConfigurationBuilder>? configure = null)
    {
        // The content root is the application's folder (where appsettings.json and config/ are
        // copied), not the working directory, so a published or `dotnet run` host finds its files.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        ((IConfigurationBuilder)builder.Configuration).Add(new LegacyEnvironmentConfigurationSource(environment));
        builder.Configuration.AddCommandLine(args);
        configure?.Invoke(builder.Configuration);

        builder.Logging.ClearProviders();
        // Human-readable single-line logs by default; JSON on request (LOG_FORMAT=json) for log pipelines.
        if (string.Equals(builder.Configuration[$"{AlbOptions.SectionName}:{nameof(AlbOptions.LogFormat)}"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }

        return builder;
    }

    /// <summary>Every service of the ALB. Telemetry (Telemetry/) registers its services here too.</summary>
    public static IServiceCollection AddServices(IServiceCollection services)
    {
        services.AddMarchProxyControlPlane()
                .AddEnvoySupervisor()
                .AddModuleApi()
                .AddAlbFleet()
                .AddAlbState()
                .AddAlbHosting();

        // Telemetry last: its IControlPlaneObserver replaces the no-op one, its IMetricsReader replaces
        // EmptyMetricsReader, and it decorates IStatePublisher, IStatePersistence and IAckLedger (it
        // throws when one of them is missing, so a wrong order fails at start, not silently).
        services.AddAlbTelemetry();
        return services;
    }

    /// <summary>
    /// The endpoint map. Every endpoint declares the port role it is served on
    /// (<see cref="EndpointRoleExtensions.RequireEndpointRole{TBuilder}"/>); on any other port it is 404.
    /// </summary>
    public static WebApplication MapEndpoints(WebApplication app)
    {
        var inFlight = app.Services.GetRequiredService<InFlightRequests>();
        app.Use(inFlight.TrackAsync);
        app.UseRouting();
        app.UseMiddleware<EndpointRoleMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();

        app.MapGrpcService<ModuleServiceImpl>().RequireEndpointRole(EndpointRole.Api);
        app.MapGrpcService<HealthServiceImpl>().RequireEndpointRole(EndpointRole.Api);
        app.MapGrpcService<ReflectionServiceImpl>().RequireEndpointRole(EndpointRole.Api);
        app.MapGrpcService<ReflectionV1ServiceImpl>().RequireEndpointRole(EndpointRole.Api);
        app.MapGrpcService<AdsService>().RequireEndpointRole(EndpointRole.Xds);
        app.MapAlbHealth();

        app.MapAlbTelemetry();
        return app;
    }
}
