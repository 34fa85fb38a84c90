namespace MarchProxy.Supervisor;

/// <summary>
/// One consistent picture of the supervised Envoy, published by the supervisor after every change.
/// Readiness is not in here because it also depends on xDS acceptance; ask <see cref="IEnvoySupervisor.IsReady"/>.
/// </summary>
public sealed record EnvoyStatus
{
    public static EnvoyStatus Initial { get; } = new();

    public EnvoyState State { get; init; } = EnvoyState.Stopped;

    /// <summary>False in control-plane-only mode (<see cref="EnvoyState.Absent"/>).</summary>
    public bool IsSupervising { get; init; } = true;

    /// <summary>Why no Envoy is supervised; null when one is.</summary>
    public string? AbsentReason { get; init; }

    /// <summary>True while an epoch that has been LIVE serves traffic (also during a hot restart).</summary>
    public bool IsServing { get; init; }

    /// <summary>The semantic version from <c>/server_info</c> (for example "1.36.2"), or the whole string if it has no such part.</summary>
    public string? EnvoyVersion { get; init; }

    /// <summary>The whole <c>version</c> string from <c>/server_info</c> (revision/version/status/build type/TLS library).</summary>
    public string? EnvoyBuildVersion { get; init; }

    /// <summary>The state that the admin API reported last (LIVE, DRAINING, PRE_INITIALIZING, INITIALIZING).</summary>
    public string? AdminState { get; init; }

    /// <summary>False while the serving process does not answer on the admin port.</summary>
    public bool AdminReachable { get; init; }

    /// <summary>The hot-restart epoch of the serving process.</summary>
    public int Epoch { get; init; }

    /// <summary>The <c>--base-id</c> shared by all epochs.</summary>
    public long BaseId { get; init; }

    public int? ProcessId { get; init; }

    /// <summary>Restarts after Envoy exited on its own.</summary>
    public long RestartCount { get; init; }

    /// <summary>How many times the supervisor entered <see cref="EnvoyState.CrashLoop"/>.</summary>
    public long CrashLoopCount { get; init; }

    public long HotRestartCount { get; init; }

    /// <summary>When the next start after a crash is due, on the supervisor's clock.</summary>
    public DateTimeOffset? NextRestartAt { get; init; }

    public int? LastExitCode { get; init; }

    /// <summary>The last failure worth showing (validation output, spawn error, exit code).</summary>
    public string? LastError { get; init; }

    /// <summary>
    /// The running process has not been LIVE for <see cref="EnvoyOptions.StartTimeout"/> since it started;
    /// cleared when it becomes LIVE or another process starts.
    /// </summary>
    public bool StartStalled { get; init; }

    /// <summary>Not in a crash loop, the bootstrap is valid, and the process is not stalled before LIVE.</summary>
    public bool IsHealthy => State is not (EnvoyState.CrashLoop or EnvoyState.Failed) && !StartStalled;
}
