using System.ComponentModel;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>Starts one epoch: writes the bootstrap, validates it with <c>--mode validate</c>, spawns Envoy and watches its exit.</summary>
internal sealed class EnvoyLauncher(SupervisorContext context)
{
    public async Task<LaunchResult> LaunchAsync(int epoch, long baseId, CancellationToken cancellationToken)
    {
        var options = context.Options;
        string path;
        try
        {
            path = BootstrapWriter.Write(options);
            SupervisorLog.BootstrapWritten(context.Logger, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SupervisorLog.BootstrapWriteFailed(context.Logger, ex.Message);
            return LaunchResult.Invalid($"could not write the bootstrap: {ex.Message}");
        }

        var validation = await BootstrapValidator.ValidateAsync(
            context.Binary, path, options.ValidationTimeout, context.Clocks.Lifecycle, cancellationToken).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            SupervisorLog.BootstrapRejected(context.Logger, path, validation.ExitCode, validation.Output);
            return LaunchResult.Invalid($"'--mode validate' rejected the bootstrap (exit code {validation.ExitCode}): {validation.Output}");
        }

        var args = EnvoyCommandLine.Serve(options, path, epoch, baseId);
        SupervisorLog.EnvoyStarting(context.Logger, epoch, context.Binary, new CommandLineText(args));
        EnvoyProcess process;
        try
        {
            process = EnvoyProcess.Start(context.Binary, args, epoch, baseId, context.Now, context.Logger);
        }
        catch (Win32Exception ex)
        {
            SupervisorLog.EnvoySpawnFailed(context.Logger, epoch, ex.Message);
            return LaunchResult.SpawnFailed($"could not start '{context.Binary}': {ex.Message}");
        }

        Watch(process);
        SupervisorLog.EnvoyStarted(context.Logger, epoch, process.Pid);
        return new LaunchResult(process, IsInvalidBootstrap: false, Error: null);
    }

    /// <summary>Wakes the owner loop when <paramref name="process"/> exits.</summary>
    public void Watch(EnvoyProcess process) =>
        _ = process.Exited.ContinueWith(
            _ => context.Commands.TryWrite(new SupervisorCommand.ProcessExited(process.Pid)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}

/// <summary>A started process, or why there is none.</summary>
internal sealed record LaunchResult(EnvoyProcess? Process, bool IsInvalidBootstrap, string? Error)
{
    public static LaunchResult Invalid(string error) => new(null, true, error);

    public static LaunchResult SpawnFailed(string error) => new(null, false, error);
}
