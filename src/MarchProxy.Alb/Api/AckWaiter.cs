using MarchProxy.Alb.Configuration;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Waits until every connected xDS node of every kind (Envoy and proxyless gRPC, since one desired
/// state feeds both) has ACKed a version or a newer one. The wait lasts until the call's deadline
/// (less a small margin, so the answer can still be sent) or, with no deadline, AckTimeout.
/// </summary>
public sealed class AckWaiter(IAckLedger ledger, IOptions<AlbOptions> options, TimeProvider timeProvider)
{
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(200);
    private static readonly NodeKind[] Kinds = [NodeKind.Envoy, NodeKind.Grpc];

    public async Task<AckOutcome> WaitAsync(long version, DateTime deadline, CancellationToken cancellationToken)
    {
        var timeout = Timeout(deadline);
        var results = await Task.WhenAll(Kinds.Select(kind => ledger.WaitForAckAsync(kind, version, timeout, cancellationToken)));
        var status = new AckStatus
        {
            AckedNodes = results.Sum(r => r.AckedNodes),
            PendingNodes = results.Sum(r => r.PendingNodes.Count),
        };
        status.Nacks.AddRange(results.SelectMany(r => r.Nacks));
        return new AckOutcome(status, results.SelectMany(r => r.PendingNodes).ToList(), results.Any(r => r.TimedOut));
    }

    /// <summary>How long a wait may last: until the call's deadline less a margin, or AckTimeout without one.</summary>
    public TimeSpan Timeout(DateTime deadline)
    {
        if (deadline == DateTime.MaxValue)
        {
            return options.Value.AckTimeout;
        }

        var remaining = deadline.ToUniversalTime() - timeProvider.GetUtcNow().UtcDateTime - DeadlineMargin;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
