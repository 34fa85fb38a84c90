namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// The supervisor's clocks. <paramref name="Lifecycle"/> times backoff, the crash-loop window, stable runs
/// and every deadline. <paramref name="Poll"/> paces the admin-API polling. They are the same
/// <see cref="TimeProvider"/> in production; tests fake the first and keep the second real, so a
/// backoff can be stepped through while a real Envoy stand-in answers in real time.
/// </summary>
internal sealed record SupervisorClocks(TimeProvider Lifecycle, TimeProvider Poll)
{
    public static SupervisorClocks From(TimeProvider timeProvider) => new(timeProvider, timeProvider);
}
