using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.State;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Runs the ALB as a process and turns the outcome into its exit code: 0 after a clean stop, 2 for bad
/// settings, a bad config file or a port in use (one line on stderr, no stack trace), 1 for a crash or
/// a stop that overran SHUTDOWN_TIMEOUT.
/// </summary>
public static class AlbProgram
{
    public const int ExitClean = 0;
    public const int ExitFailed = 1;
    public const int ExitBadSettings = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        try
        {
            var builder = AlbHost.CreateBuilder(args);
            AlbHost.AddServices(builder.Services);
            await using var app = builder.Build();
            AlbHost.MapEndpoints(app);

            // Everything that can be wrong with the settings is found before the host starts, so it is
            // reported once, here, and not also as the host's start failure with a stack trace.
            await PreflightAsync(app.Services);
            await app.StartAsync();
            await app.WaitForShutdownAsync();
            return app.Services.GetRequiredService<ShutdownSequence>().IsClean ? ExitClean : ExitFailed;
        }
        catch (Exception ex) when (StartupErrors.IsConfigurationError(ex))
        {
            await error.WriteLineAsync(StartupErrors.Describe(ex));
            return ExitBadSettings;
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync($"MarchProxy ALB failed: {ex}");
            return ExitFailed;
        }
    }

    /// <summary>
    /// Options, the shutdown budget, the ports, then the persisted state or config file (last, because it
    /// may write DATA_DIR). Binds nothing that stays bound.
    /// </summary>
    public static async Task PreflightAsync(IServiceProvider services)
    {
        services.GetService<IStartupValidator>()?.Validate();
        if (services.GetRequiredService<ShutdownSequence>().Budget.Problem() is { } problem)
        {
            throw new AlbConfigurationException(problem);
        }

        // Creating the server applies the Kestrel options, which records each configured endpoint.
        _ = services.GetRequiredService<IServer>();
        PortPreflight.Check(services.GetRequiredService<ListenEndpoints>());
        await services.GetRequiredService<ConfigStore>().InitializeAsync(CancellationToken.None);
    }
}
