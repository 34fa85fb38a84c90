namespace MarchProxy.Alb.Configuration;

/// <summary>
/// Whether the host has begun to stop. The host's shutdown sequence begins it; readiness and GetStatus
/// read it (the host signals ApplicationStopping only after the lifecycle services' StoppingAsync when
/// it is stopped directly).
/// </summary>
public sealed class ShutdownState
{
    private int _stopping;

    /// <summary>True from the first step of the stop on.</summary>
    public bool IsStopping => Volatile.Read(ref _stopping) == 1;

    /// <summary>Marks the stop as begun; true only for the first caller.</summary>
    public bool TryBegin() => Interlocked.Exchange(ref _stopping, 1) == 0;
}
