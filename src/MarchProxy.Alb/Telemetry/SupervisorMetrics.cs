using System.Diagnostics.Metrics;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Telemetry;

/// <summary>The supervisor's observations, read from <see cref="IEnvoySupervisor"/> at collection time.</summary>
internal static class SupervisorMetrics
{
    private static readonly EnvoyState[] States = Enum.GetValues<EnvoyState>();

    public static IEnumerable<Measurement<long>> Restarts(IEnvoySupervisor supervisor)
    {
        var status = supervisor.GetStatus();
        return
        [
            new Measurement<long>(status.RestartCount, new KeyValuePair<string, object?>("reason", "crash")),
            new Measurement<long>(status.HotRestartCount, new KeyValuePair<string, object?>("reason", "hot_restart")),
        ];
    }

    /// <summary>1 while a supervised Envoy serves; 0 otherwise, also with no Envoy, so the series always exists.</summary>
    public static IEnumerable<Measurement<int>> Up(IEnvoySupervisor supervisor)
    {
        var status = supervisor.GetStatus();
        return [new Measurement<int>(status.IsSupervising && status.IsServing ? 1 : 0)];
    }

    public static IEnumerable<Measurement<int>> StartStalled(IEnvoySupervisor supervisor) =>
        [new Measurement<int>(supervisor.GetStatus().StartStalled ? 1 : 0)];

    public static IEnumerable<Measurement<int>> State(IEnvoySupervisor supervisor)
    {
        var current = supervisor.State;
        return States.Select(state => new Measurement<int>(
            state == current ? 1 : 0,
            new KeyValuePair<string, object?>("state", StateLabel(state))));
    }

    public static IEnumerable<Measurement<int>> Epoch(IEnvoySupervisor supervisor)
    {
        var status = supervisor.GetStatus();
        return [new Measurement<int>(status.IsSupervising ? status.Epoch : 0)];
    }

    /// <summary>The state's name in snake case: "live", "hot_restarting", "crash_loop", …</summary>
    public static string StateLabel(EnvoyState state) => state switch
    {
        EnvoyState.Absent => "absent",
        EnvoyState.Stopped => "stopped",
        EnvoyState.Starting => "starting",
        EnvoyState.Live => "live",
        EnvoyState.Draining => "draining",
        EnvoyState.HotRestarting => "hot_restarting",
        EnvoyState.Restarting => "restarting",
        EnvoyState.CrashLoop => "crash_loop",
        EnvoyState.Failed => "failed",
        _ => "other",
    };
}
