using Microsoft.Extensions.Logging;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>The supervisor's log events (EventIds 2000–2999).</summary>
internal static partial class SupervisorLog
{
    [LoggerMessage(EventId = 2000, EventName = "EnvoyAbsent", Level = LogLevel.Warning,
        Message = "No Envoy is supervised: {Reason}. Running in control-plane-only mode.")]
    public static partial void EnvoyAbsent(ILogger logger, string reason);

    [LoggerMessage(EventId = 2001, EventName = "EnvoyStarting", Level = LogLevel.Information,
        Message = "Starting Envoy epoch {Epoch}: {Binary} {Arguments}")]
    public static partial void EnvoyStarting(ILogger logger, int epoch, string binary, CommandLineText arguments);

    [LoggerMessage(EventId = 2002, EventName = "EnvoyStarted", Level = LogLevel.Information,
        Message = "Envoy epoch {Epoch} runs as pid {Pid}")]
    public static partial void EnvoyStarted(ILogger logger, int epoch, int? pid);

    [LoggerMessage(EventId = 2003, EventName = "EnvoyLive", Level = LogLevel.Information,
        Message = "Envoy {Version} epoch {Epoch} is LIVE")]
    public static partial void EnvoyLive(ILogger logger, string? version, int epoch);

    [LoggerMessage(EventId = 2004, EventName = "EnvoyAdminState", Level = LogLevel.Information,
        Message = "Envoy's admin API reports {State}")]
    public static partial void EnvoyAdminState(ILogger logger, string state);

    [LoggerMessage(EventId = 2005, EventName = "EnvoyAdminUnreachable", Level = LogLevel.Warning,
        Message = "Envoy's admin API does not answer ({Error}); the process still runs, so its last known state is kept")]
    public static partial void EnvoyAdminUnreachable(ILogger logger, string error);

    [LoggerMessage(EventId = 2006, EventName = "EnvoyExited", Level = LogLevel.Warning,
        Message = "Envoy {Process} exited on its own with code {ExitCode} after {Uptime}")]
    public static partial void EnvoyExited(ILogger logger, EnvoyProcess process, int? exitCode, TimeSpan uptime);

    [LoggerMessage(EventId = 2007, EventName = "EnvoyRestartScheduled", Level = LogLevel.Warning,
        Message = "Restarting Envoy in {Delay} (crash {CrashesInARow} in a row)")]
    public static partial void EnvoyRestartScheduled(ILogger logger, TimeSpan delay, int crashesInARow);

    [LoggerMessage(EventId = 2008, EventName = "EnvoyCrashLoop", Level = LogLevel.Error,
        Message = "Envoy is in a crash loop: {Crashes} crashes within {Window}; not ready, retrying every {Delay}")]
    public static partial void EnvoyCrashLoop(ILogger logger, int crashes, TimeSpan window, TimeSpan delay);

    [LoggerMessage(EventId = 2009, EventName = "EnvoyCrashLoopRecovered", Level = LogLevel.Information,
        Message = "Envoy is LIVE again after a crash loop")]
    public static partial void EnvoyCrashLoopRecovered(ILogger logger);

    [LoggerMessage(EventId = 2010, EventName = "BootstrapWritten", Level = LogLevel.Debug,
        Message = "Wrote the Envoy bootstrap to {Path}")]
    public static partial void BootstrapWritten(ILogger logger, string path);

    [LoggerMessage(EventId = 2011, EventName = "BootstrapRejected", Level = LogLevel.Error,
        Message = "Envoy is not started: '--mode validate' rejected {Path} (exit code {ExitCode}): {Output}")]
    public static partial void BootstrapRejected(ILogger logger, string path, int? exitCode, string output);

    [LoggerMessage(EventId = 2012, EventName = "EnvoySpawnFailed", Level = LogLevel.Error,
        Message = "Could not start Envoy epoch {Epoch}: {Error}")]
    public static partial void EnvoySpawnFailed(ILogger logger, int epoch, string error);

    [LoggerMessage(EventId = 2013, EventName = "BootstrapWriteFailed", Level = LogLevel.Error,
        Message = "Could not write the Envoy bootstrap: {Error}")]
    public static partial void BootstrapWriteFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2014, EventName = "EnvoyStartStalled", Level = LogLevel.Warning,
        Message = "Envoy {Process} is not LIVE {Limit} after it started (admin API: {AdminState}); it stays not ready and unhealthy until it is")]
    public static partial void EnvoyStartStalled(ILogger logger, EnvoyProcess process, TimeSpan limit, string adminState);

    [LoggerMessage(EventId = 2020, EventName = "HotRestartStarting", Level = LogLevel.Information,
        Message = "Hot restart: starting epoch {ToEpoch} beside epoch {FromEpoch} (base id {BaseId})")]
    public static partial void HotRestartStarting(ILogger logger, int fromEpoch, int toEpoch, long baseId);

    [LoggerMessage(EventId = 2021, EventName = "HotRestartSucceeded", Level = LogLevel.Information,
        Message = "Hot restart: epoch {ToEpoch} is LIVE and serves; epoch {FromEpoch} drains and exits")]
    public static partial void HotRestartSucceeded(ILogger logger, int fromEpoch, int toEpoch);

    [LoggerMessage(EventId = 2022, EventName = "HotRestartFailed", Level = LogLevel.Error,
        Message = "Hot restart to epoch {ToEpoch} failed ({Outcome}): {Error}. Epoch {FromEpoch} keeps serving.")]
    public static partial void HotRestartFailed(ILogger logger, int fromEpoch, int toEpoch, HotRestartOutcome outcome, string error);

    [LoggerMessage(EventId = 2023, EventName = "RetiredEpochExited", Level = LogLevel.Information,
        Message = "Old Envoy {Process} exited after the hot restart (code {ExitCode})")]
    public static partial void RetiredEpochExited(ILogger logger, EnvoyProcess process, int? exitCode);

    [LoggerMessage(EventId = 2024, EventName = "RetiredEpochOverdue", Level = LogLevel.Warning,
        Message = "Old Envoy {Process} still runs past its parent shutdown time; sending {Signal}")]
    public static partial void RetiredEpochOverdue(ILogger logger, EnvoyProcess process, string signal);

    [LoggerMessage(EventId = 2030, EventName = "GracefulStopStarting", Level = LogLevel.Information,
        Message = "Stopping Envoy {Process}: healthcheck/fail, drain_listeners?graceful, then up to {Timeout} for connections to close")]
    public static partial void GracefulStopStarting(ILogger logger, EnvoyProcess process, TimeSpan timeout);

    [LoggerMessage(EventId = 2031, EventName = "GracefulStopStepFailed", Level = LogLevel.Warning,
        Message = "Graceful stop: {Step} failed ({Error}); going on with the next step")]
    public static partial void GracefulStopStepFailed(ILogger logger, string step, string error);

    [LoggerMessage(EventId = 2032, EventName = "DrainProgress", Level = LogLevel.Debug,
        Message = "Draining: {Connections} connections left")]
    public static partial void DrainProgress(ILogger logger, long connections);

    [LoggerMessage(EventId = 2033, EventName = "DrainTimedOut", Level = LogLevel.Warning,
        Message = "Draining did not finish within {Timeout} ({Connections} connections left); quitting anyway")]
    public static partial void DrainTimedOut(ILogger logger, TimeSpan timeout, long? connections);

    [LoggerMessage(EventId = 2034, EventName = "StopEscalating", Level = LogLevel.Warning,
        Message = "Envoy {Process} still runs {Wait} after {Step}; sending {Signal}")]
    public static partial void StopEscalating(ILogger logger, EnvoyProcess process, TimeSpan wait, string step, string signal);

    [LoggerMessage(EventId = 2035, EventName = "EnvoyStopped", Level = LogLevel.Information,
        Message = "Envoy {Process} stopped (exit code {ExitCode}, drained cleanly: {Drained})")]
    public static partial void EnvoyStopped(ILogger logger, EnvoyProcess process, int? exitCode, bool drained);

    [LoggerMessage(EventId = 2036, EventName = "StopForced", Level = LogLevel.Warning,
        Message = "The host stopped waiting: killing every Envoy process now")]
    public static partial void StopForced(ILogger logger);

    [LoggerMessage(EventId = 2037, EventName = "EnvoyWouldNotExit", Level = LogLevel.Error,
        Message = "Envoy {Process} did not exit even after SIGKILL")]
    public static partial void EnvoyWouldNotExit(ILogger logger, EnvoyProcess process);

    [LoggerMessage(EventId = 2040, EventName = "OrphanFound", Level = LogLevel.Warning,
        Message = "An Envoy already answers on the admin port: epoch {Epoch}, base id {BaseId}, pid {Pid}, version {Version}. Adopting it by a hot restart into epoch {NextEpoch}.")]
    public static partial void OrphanFound(ILogger logger, int epoch, long baseId, int? pid, string version, int nextEpoch);

    [LoggerMessage(EventId = 2041, EventName = "OrphanAdoptionFailed", Level = LogLevel.Error,
        Message = "Could not adopt the running Envoy ({Error}); stopping it and starting a fresh epoch 0")]
    public static partial void OrphanAdoptionFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2042, EventName = "OrphanUnstoppable", Level = LogLevel.Error,
        Message = "The orphaned Envoy cannot be stopped: no pid file names it and its admin API does not answer. A new epoch 0 with base id {BaseId} will fail until it is gone.")]
    public static partial void OrphanUnstoppable(ILogger logger, long baseId);

    [LoggerMessage(EventId = 2050, EventName = "SupervisorFailed", Level = LogLevel.Critical,
        Message = "The Envoy supervisor loop failed; Envoy processes were killed")]
    public static partial void SupervisorFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2100, EventName = "EnvoyOutput", Message = "[envoy epoch {Epoch}] {Line}")]
    public static partial void EnvoyOutput(ILogger logger, LogLevel level, int epoch, string line);
}
