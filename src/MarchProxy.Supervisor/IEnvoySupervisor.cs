using Microsoft.Extensions.Primitives;

namespace MarchProxy.Supervisor;

/// <summary>
/// Supervises the local Envoy: bootstrap, start, readiness, crash restart with backoff, hot restart
/// and graceful stop. All state changes happen on one owner task; the members here read a snapshot.
/// </summary>
public interface IEnvoySupervisor
{
    EnvoyState State { get; }

    string? EnvoyVersion { get; }

    int Epoch { get; }

    long RestartCount { get; }

    long CrashLoopCount { get; }

    /// <summary>False in control-plane-only mode. The host then decides readiness without Envoy.</summary>
    bool IsSupervising { get; }

    /// <summary>
    /// Envoy serves (LIVE, or the old epoch during a hot restart) and its config has been accepted
    /// (<see cref="IEnvoyConfigAcceptance.HasAcceptedInitialConfig"/>). Always false when not supervising.
    /// </summary>
    bool IsReady { get; }

    /// <summary>False in a crash loop or while the bootstrap fails validation.</summary>
    bool IsHealthy { get; }

    string? AbsentReason { get; }

    EnvoyStatus GetStatus();

    /// <summary>A token that fires at the next status change (the <see cref="ChangeToken.OnChange(Func{IChangeToken?}, Action)"/> pattern).</summary>
    IChangeToken GetChangeToken();

    /// <summary>
    /// Starts epoch N+1 with the same base id, waits until it is LIVE with its config accepted, then
    /// lets epoch N drain and exit. On failure the new epoch is removed and epoch N keeps serving.
    /// Cancelling <paramref name="cancellationToken"/> stops the wait, not the operation, which is
    /// bounded by the reload grace period.
    /// </summary>
    Task<HotRestartResult> HotRestartAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops the supervised Envoy gracefully: POST /healthcheck/fail, POST /drain_listeners?graceful, wait
    /// until no connection is left or <see cref="EnvoyOptions.DrainTimeout"/>, POST /quitquitquit, then
    /// SIGTERM, then SIGKILL. Nothing is restarted afterwards. Idempotent: a second call waits for the
    /// first stop. When <paramref name="cancellationToken"/> fires first, every Envoy process is killed.
    /// Completes at once in control-plane-only mode.
    /// </summary>
    Task StopAsync(CancellationToken cancellationToken);
}
