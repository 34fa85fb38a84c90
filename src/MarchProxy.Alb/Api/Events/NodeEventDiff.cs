using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api.Events;

/// <summary>
/// Turns the ledger's feed of changed streams (<see cref="INodeStatusFeed"/>) into node events:
/// "connected" (a node id's first connected stream), "acked" (a stream's ACKed version of a type
/// changed), "nacked" (a new last NACK), "disconnected" (its last connected stream ended). Each
/// reading costs what changed since the last one, not the whole fleet. Not thread-safe: the hub
/// calls it under its lock.
/// </summary>
internal sealed class NodeEventDiff
{
    public const string Connected = "connected";
    public const string Disconnected = "disconnected";
    public const string Acked = "acked";
    public const string Nacked = "nacked";

    private readonly Dictionary<long, NodeAckState> _streams = [];
    private readonly Dictionary<(NodeKind Kind, string NodeId), int> _connectedStreams = [];
    private long _cursor = -1;

    public bool HasBaseline => _cursor >= 0;

    /// <summary>The feed cursor of the last reading.</summary>
    public long Cursor => _cursor;

    public void Reset()
    {
        _streams.Clear();
        _connectedStreams.Clear();
        _cursor = -1;
    }

    /// <summary>Takes <paramref name="all"/> (every node the ledger knows) as the state events are relative to.</summary>
    public void SetBaseline(NodeStatusChanges all)
    {
        Reset();
        foreach (var (streamId, node) in all.Changes)
        {
            if (node.Connected)
            {
                _streams[streamId] = node;
                Count(node, +1);
            }
        }

        _cursor = all.Cursor;
    }

    /// <summary>The events that <paramref name="changes"/> (read since <see cref="Cursor"/>) make.</summary>
    public List<XdsNodeEvent> Next(NodeStatusChanges changes)
    {
        var events = new List<XdsNodeEvent>();
        foreach (var (streamId, node) in changes.Changes)
        {
            _streams.TryGetValue(streamId, out var before);
            if (before is null && !node.Connected)
            {
                // Connected and gone between two readings, or known only from before the baseline.
                continue;
            }

            if (before is null && Count(node, +1) == 1)
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

            if (node.Connected)
            {
                _streams[streamId] = node;
            }
            else
            {
                _streams.Remove(streamId);
                if (Count(node, -1) == 0)
                {
                    events.Add(Event(node, Disconnected));
                }
            }
        }

        _cursor = changes.Cursor;
        return events;
    }

    /// <summary>The include_current prelude: one "connected" or "disconnected" event per node id (connected wins).</summary>
    public static IEnumerable<XdsNodeEvent> Current(IReadOnlyList<NodeAckState> nodes)
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

        return index.Values.Select(n => Event(n, n.Connected ? Connected : Disconnected));
    }

    private static XdsNodeEvent Event(NodeAckState node, string kind) =>
        new() { NodeId = node.NodeId, Kind = node.Kind.ToString().ToLowerInvariant(), Event = kind };

    /// <summary>Adds <paramref name="delta"/> to the node id's connected streams; returns the new count.</summary>
    private int Count(NodeAckState node, int delta)
    {
        var key = (node.Kind, node.NodeId);
        var count = _connectedStreams.GetValueOrDefault(key) + delta;
        if (count <= 0)
        {
            _connectedStreams.Remove(key);
            return 0;
        }

        _connectedStreams[key] = count;
        return count;
    }
}
