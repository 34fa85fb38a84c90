using System.Text.Json;
using Etcdserverpb;
using Grpc.Core;
using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// Tells what became of a transaction whose answer was lost (the connection failed after sending it).
/// Every change writes the meta key with its own id and commits only when the meta key was not written
/// after the revision it was validated at, so if it was applied, it is the first write of the meta key
/// after that revision: etcd's history of that one key answers the question exactly.
/// </summary>
public sealed class EtcdCommitOutcomes(EtcdConnection etcd)
{
    /// <summary>
    /// Committed (with the transaction's revision), Conflict (not applied; another change came first),
    /// null (not applied, nothing else changed: it can be sent again), or Unavailable with the reason
    /// the outcome is unknown.
    /// </summary>
    public async Task<StoreCommit?> ResolveAsync(string transaction, long since, CancellationToken cancellationToken)
    {
        try
        {
            var meta = etcd.Keys.MetaKey;
            var read = await etcd.CallAsync(o => etcd.Kv.RangeAsync(new RangeRequest { Key = meta }, o), repeatable: true, cancellationToken);
            if (read.Kvs.Count == 0 || read.Kvs[0].ModRevision <= since)
            {
                return null;
            }

            var latest = read.Kvs[0];
            if (IdOf(latest) == transaction)
            {
                return StoreCommit.Committed(latest.ModRevision);
            }

            var first = await FirstWriteAfterAsync(since, cancellationToken);
            return first is null ? Unknown("etcd no longer holds the history that would tell")
                : IdOf(first) == transaction ? StoreCommit.Committed(first.ModRevision)
                : StoreCommit.Conflict(read.Header.Revision);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            etcd.Failed(ex);
            return Unknown($"etcd did not answer either ({ex.StatusCode})");
        }
    }

    private static StoreCommit Unknown(string why) => StoreCommit.Unavailable(
        $"whether etcd applied the change is unknown ({why}); if it did, every ALB serves it through its watch, and sending an upsert again is safe");

    /// <summary>The meta key's first write after <paramref name="since"/> (null when compacted away).</summary>
    private async Task<Mvccpb.KeyValue?> FirstWriteAfterAsync(long since, CancellationToken cancellationToken)
    {
        // A watch with a request's deadline: etcd sends the history from since + 1 at once.
        using var call = etcd.Watch.Watch(await etcd.UnaryAsync(cancellationToken));
        await call.RequestStream.WriteAsync(
            new WatchRequest { CreateRequest = new WatchCreateRequest { Key = etcd.Keys.MetaKey, StartRevision = since + 1 } },
            cancellationToken);
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            var response = call.ResponseStream.Current;
            if (response.CompactRevision > 0 || response.Canceled)
            {
                return null;
            }

            if (response.Events.Count > 0)
            {
                return response.Events[0].Kv;
            }
        }

        return null;
    }

    private static string? IdOf(Mvccpb.KeyValue kv)
    {
        try
        {
            return JsonSerializer.Deserialize<EtcdMeta>(kv.Value.Span, FleetView.Json)?.Transaction;
        }
        catch (JsonException)
        {
            // A meta key written by hand: not this change.
            return null;
        }
    }
}
