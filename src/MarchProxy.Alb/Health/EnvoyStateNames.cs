using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Health;

/// <summary>The names GetStatus and /readyz use for the supervisor's state: "absent", "LIVE", "CRASH_LOOP", ...</summary>
public static class EnvoyStateNames
{
    public const string Absent = "absent";

    public static string Of(EnvoyStatus status) => !status.IsSupervising ? Absent : Of(status.State);

    public static string Of(EnvoyState state) => state switch
    {
        EnvoyState.Absent => Absent,
        EnvoyState.HotRestarting => "HOT_RESTARTING",
        EnvoyState.CrashLoop => "CRASH_LOOP",
        _ => state.ToString().ToUpperInvariant(),
    };
}
