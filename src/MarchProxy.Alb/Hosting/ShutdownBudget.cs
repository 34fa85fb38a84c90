using System.Globalization;
using MarchProxy.Alb.Configuration;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// How the shutdown budget (SHUTDOWN_TIMEOUT) is spent: Envoy's drain (DRAIN_TIMEOUT), then its stop
/// escalation (the <c>/quitquitquit</c> call and a grace period after it, after SIGTERM and after
/// SIGKILL), then closing the streams and stopping the servers (<see cref="ServersReserve"/>). The host's
/// own shutdown timeout is the whole budget, so the sequence always fits in it.
/// </summary>
public sealed record ShutdownBudget(TimeSpan Total, TimeSpan Drain, TimeSpan Escalation, bool EnvoyEnabled)
{
    /// <summary>Kept for ending the ADS and WatchEvents streams, Kestrel's stop and the last log line.</summary>
    public static readonly TimeSpan ServersReserve = TimeSpan.FromSeconds(2);

    public static ShutdownBudget From(AlbOptions alb, EnvoyOptions envoy) =>
        new(alb.ShutdownTimeout, envoy.DrainTimeout, envoy.StopEscalationBudget, envoy.Enabled);

    /// <summary>The longest the Envoy phase may take; past it every Envoy process is killed.</summary>
    public TimeSpan EnvoyPhase => Total - ServersReserve;

    /// <summary>What the whole sequence needs at most.</summary>
    public TimeSpan Required => (EnvoyEnabled ? Drain + Escalation : TimeSpan.Zero) + ServersReserve;

    /// <summary>Null when the sequence fits, else one line that names both settings.</summary>
    public string? Problem()
    {
        if (Required <= Total)
        {
            return null;
        }

        if (!EnvoyEnabled)
        {
            return $"SHUTDOWN_TIMEOUT (Alb:ShutdownTimeout) {Seconds(Total)} is shorter than the {Seconds(ServersReserve)} kept for closing the streams and stopping the servers; raise it to at least {Seconds(Required)}";
        }

        var maxDrain = Total - Escalation - ServersReserve;
        var advice = maxDrain > TimeSpan.Zero
            ? $"raise SHUTDOWN_TIMEOUT to at least {Seconds(Required)} or lower DRAIN_TIMEOUT to at most {Seconds(maxDrain)}"
            : $"raise SHUTDOWN_TIMEOUT to at least {Seconds(Required)}";
        return $"DRAIN_TIMEOUT (Envoy:DrainTimeout) {Seconds(Drain)} does not fit in SHUTDOWN_TIMEOUT (Alb:ShutdownTimeout) {Seconds(Total)}: "
            + $"Envoy's stop escalation (/quitquitquit, SIGTERM, SIGKILL) takes up to {Seconds(Escalation)} after the drain and stopping the servers {Seconds(ServersReserve)}; {advice}";
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
