using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// The desired state that is being served: the last one the config store published successfully.
/// Telemetry reads its version (<c>marchproxy.config.version</c>) and its routes (to attribute
/// Envoy's route and cluster stats to routes). The store's publisher tells it of each served state.
/// It holds a reference to that state, not a copy.
/// </summary>
public sealed class ServedConfig : IServedStateObserver
{
    private DesiredState _current = DesiredState.Empty;

    public DesiredState Current => Volatile.Read(ref _current);

    /// <summary>Records <paramref name="state"/> as served unless a newer version already is.</summary>
    public void Served(DesiredState state)
    {
        var current = Volatile.Read(ref _current);
        while (state.Version >= current.Version)
        {
            var seen = Interlocked.CompareExchange(ref _current, state, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }
}
