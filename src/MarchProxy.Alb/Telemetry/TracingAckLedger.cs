using System.Diagnostics;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Telemetry;

/// <summary>Decorates the <see cref="IAckLedger"/> that the API waits on: a span around each ACK wait.</summary>
public sealed class TracingAckLedger : IAckLedger
{
    private readonly IAckLedger _inner;
    private readonly AlbTracing _tracing;

    public TracingAckLedger(IAckLedger inner, AlbTracing tracing)
    {
        _inner = inner;
        _tracing = tracing;
    }

    public IReadOnlyList<NodeAckState> GetNodes() => _inner.GetNodes();

    public bool HasAckedClustersAndListeners(NodeKind kind) => _inner.HasAckedClustersAndListeners(kind);

    public async Task<AckWaitResult> WaitForAckAsync(NodeKind kind, long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var activity = _tracing.StartAckWait(AlbMetrics.KindLabel(kind), version);
        var result = await _inner.WaitForAckAsync(kind, version, timeout, cancellationToken);
        if (activity is not null)
        {
            activity.SetTag("marchproxy.ack.acked_nodes", result.AckedNodes);
            activity.SetTag("marchproxy.ack.pending_nodes", result.PendingNodes.Count);
            activity.SetTag("marchproxy.ack.nacks", result.Nacks.Count);
            activity.SetTag("marchproxy.ack.timed_out", result.TimedOut);
            if (result.Nacks.Count > 0)
            {
                activity.SetStatus(ActivityStatusCode.Error, string.Join("; ", result.Nacks));
            }
        }

        return result;
    }
}
