namespace MarchProxy.Supervisor;

/// <summary>How a hot restart ended.</summary>
public enum HotRestartOutcome
{
    /// <summary>The new epoch is LIVE, its config is accepted, and the old epoch drains and exits.</summary>
    Succeeded = 0,

    /// <summary>No Envoy is supervised (control-plane-only mode).</summary>
    NotSupervised = 1,

    /// <summary>There is no LIVE Envoy to hot-restart from (starting, restarting, crash loop, stopped).</summary>
    NotLive = 2,

    /// <summary>The bootstrap failed <c>--mode validate</c>; nothing was started.</summary>
    ValidationFailed = 3,

    /// <summary>The new epoch exited, could not be started, or NACKed its config; it was removed and the old epoch keeps serving.</summary>
    ChildFailed = 4,

    /// <summary>The new epoch was not LIVE within the reload grace period; it was killed and the old epoch keeps serving.</summary>
    TimedOut = 5,

    /// <summary>Another hot restart or a stop is in progress.</summary>
    Busy = 6,
}
