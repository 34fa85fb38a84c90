using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// The newest version that every xDS node connected to this ALB (Envoy and proxyless gRPC) has ACKed,
/// for the member key: it follows the served version through the ACK ledger, and with no node
/// connected it is the served version itself (as a local wait_for_ack answers at once).
/// </summary>
public sealed class LocalAckTracker(ConfigStore config, IAckLedger ledger, IOptions<AlbOptions> options)
{
    private static readonly NodeKind[] Kinds = [NodeKind.Envoy, NodeKind.Grpc];

    public RevisionSignal Acked { get; } = new();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var version = config.Current.Version;
            using var moved = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var newer = config.Versions.Next();
            if (config.Current.Version != version)
            {
                continue;
            }

            var waits = Task.WhenAll(Kinds.Select(kind => ledger.WaitForAckAsync(kind, version, options.Value.AckTimeout, moved.Token)));
            try
            {
                var done = await Task.WhenAny(waits, newer).WaitAsync(cancellationToken);
                if (done == waits)
                {
                    var results = await waits;
                    if (results.All(r => r.Succeeded))
                    {
                        Acked.Set(version);
                    }

                    if (!results.Any(r => r.TimedOut))
                    {
                        // ACKed or NACKed: nothing more happens for this version.
                        await newer.WaitAsync(cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                await moved.CancelAsync();
                try
                {
                    await waits;
                }
                catch (OperationCanceledException)
                {
                    // The wait for an older version was dropped.
                }
            }
        }
    }
}
