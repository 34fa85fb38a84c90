namespace MarchProxy.Supervisor;

/// <summary>The supervisor's view of the local Envoy, as one state of its lifecycle.</summary>
public enum EnvoyState
{
    /// <summary>No Envoy is supervised: disabled by configuration or no binary found (control-plane-only mode).</summary>
    Absent = 0,

    /// <summary>Not started yet, or stopped on purpose.</summary>
    Stopped = 1,

    /// <summary>An Envoy process runs but its admin API does not report LIVE yet (PRE_INITIALIZING, INITIALIZING or not answering).</summary>
    Starting = 2,

    /// <summary>The admin API reports LIVE.</summary>
    Live = 3,

    /// <summary>Envoy drains: either our graceful stop, or its admin API reports DRAINING.</summary>
    Draining = 4,

    /// <summary>A new epoch is starting while the old one keeps serving.</summary>
    HotRestarting = 5,

    /// <summary>Envoy exited on its own and waits for its backoff before it is started again.</summary>
    Restarting = 6,

    /// <summary>More crashes than the threshold within the window: not ready, unhealthy, retried at the backoff cap.</summary>
    CrashLoop = 7,

    /// <summary>The bootstrap failed <c>--mode validate</c> (or could not be written), so Envoy is not started; retried at the backoff cap.</summary>
    Failed = 8,
}
