using MarchProxy.Api.V1;
using MarchProxy.ControlPlane;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.Alb.Api.Events;

/// <summary>
/// Turns successive <see cref="IAckLedger.GetNodes"/> readings into node events: "connected",
/// "acked" (a type's ACKed version changed), "nacked" (a new last NACK), "disconnected". Nodes are
/// keyed by kind and id; when a node id appears twice (a reconnect), the connected entry wins.
/// Not thread-safe: the hub calls it under its lock.
/// </summary>
internal sealed class NodeEventDiff
{
    public const string Connected = "connected";
    public const string Disconnected = "disconnected";
    public const string Acked = "acked";
    public const string Nacked = "nacked";

    private Dictionary<(NodeKind, string), NodeAckState>? _previous;

    public bool HasBaseline => _previous is not null;

    public void Reset() => _previous = null;

    public void SetBaseline(IReadOnlyList<NodeAckState> nodes) => _previous = Index(nodes);

    /// <summary>The events between the last reading and <paramref name="nodes"/>, which becomes the new baseline.</summary>
    public List<XdsNodeEvent> Next(IReadOnlyList<NodeAckState> nodes)
    {
        var previous = _previous ?? [];
        var current = Index(nodes);
        var events = new List<XdsNodeEvent>();
        foreach (var (key, node) in current)
        {
            previous.TryGetValue(key, out var before);
            if (node.Connected && before is not { Connected: true })
            {
                events.Add(Event(node, Connected));
            }

            foreach (var (typeUrl, version) in node.AckedVersions)
            {
                if (before is null || !before.AckedVersions.TryGetValue(typeUrl, out var old) || old != version)
                {
                    var acked = Event(node, Acked);
                    acked.TypeUrl = typeUrl;
                    acked.Version = version;
                    events.Add(acked);
                }
            }

            if (node.LastNack is { } nack && nack != before?.LastNack)
            {
                var nacked = Event(node, Nacked);
                nacked.TypeUrl = nack.TypeUrl;
                nacked.Version = nack.Version;
                nacked.Error = nack.Error;
                events.Add(nacked);
            }

            if (!node.Connected && before is { Connected: true })
            {
                events.Add(Event(node, Disconnected));
            }
        }

        foreach (var (key, before) in previous)
        {
            if (before.Connected && !current.ContainsKey(key))
            {
                events.Add(Event(before, Disconnected));
            }
        }

        _previous = current;
        return events;
    }

    /// <summary>The include_current prelude: one "connected" or "disconnected" event per node.</summary>
    public static IEnumerable<XdsNodeEvent> Current(IReadOnlyList<NodeAckState> nodes) =>
        Index(nodes).Values.Select(n => Event(n, n.Connected ? Connected : Disconnected));

    private static XdsNodeEvent Event(NodeAckState node, string kind) =>
        new() { NodeId = node.NodeId, Kind = node.Kind.ToString().ToLowerInvariant(), Event = kind };

    private static Dictionary<(NodeKind, string), NodeAckState> Index(IReadOnlyList<NodeAckState> nodes)
    {
        var index = new Dictionary<(NodeKind, string), NodeAckState>();
        foreach (var node in nodes)
        {
            var key = (node.Kind, node.NodeId);
            if (!index.TryGetValue(key, out var existing) || (!existing.Connected && node.Connected))
            {
                index[key] = node;
            }
        }

        return index;
    }
}
