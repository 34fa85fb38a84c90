using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

internal abstract partial class AdsStream<TRequest, TResponse>
{
    private const int ClusterIndex = 0;
    private const int EndpointIndex = 1;

    /// <summary>
    /// One pass over the subscribed types against <paramref name="snapshot"/>. Phase 1 sends additions
    /// and updates in push order (CDS, EDS, LDS, RDS); a type whose predecessor still has additions
    /// waiting for an ACK waits too, so the order holds across passes, and listeners and routes also
    /// wait for the EDS of clusters the client already holds. A CDS update forces fresh EDS for its EDS
    /// clusters. Removals wait until every other type has nothing to add and nothing in flight, so the
    /// client has applied (ACKed or NACKed) everything new before anything old is taken away; phase 2
    /// then sends them in reverse order (RDS, LDS, EDS, CDS), one type at a time. A state-of-the-world
    /// full-state response sent while removals must wait keeps the old resources ("staged"). Types with
    /// nothing to send and an ACKed last response are reported in sync to the ledger.
    /// </summary>
    private List<(TResponse Response, string TypeUrl)> Reconcile(Snapshot snapshot)
    {
        var output = new List<(TResponse, string)>();
        var count = _types.Length;
        var diffs = new TypeDiff?[count];
        var sent = new bool[count];
        for (var i = 0; i < count; i++)
        {
            if (_types[i] is { Subscribed: true } type)
            {
                diffs[i] = type.Diff(snapshot.Get(type.TypeUrl), IsDelta);
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (_types[i] is not { Subscribed: true, Outstanding: false } type)
            {
                continue;
            }

            var diff = diffs[i]!;
            if ((diff.Upserts.Count == 0 && diff.Notices.Count == 0 && !type.MustRespond)
                || EarlierUpsertsPending(diffs, sent, i)
                || (i > EndpointIndex && _types[EndpointIndex] is { Subscribed: true } && MissingEndpoints(snapshot)))
            {
                continue;
            }

            var removalsAllowed = !RemovalsBlocked(diffs, sent, except: i);
            output.Add(Send(type, snapshot, diff, removalsAllowed));
            sent[i] = true;
            if (i == ClusterIndex && _types[EndpointIndex] is { Subscribed: true } endpoints
                && ForceEndpoints(endpoints, diff.Upserts))
            {
                diffs[EndpointIndex] = endpoints.Diff(snapshot.Get(endpoints.TypeUrl), IsDelta);
            }
        }

        for (var i = count - 1; i >= 0; i--)
        {
            if (_types[i] is { Subscribed: true, Outstanding: false } type && !sent[i] && diffs[i]!.Removals.Count > 0
                && !RemovalsBlocked(diffs, sent, except: i))
            {
                output.Add(Send(type, snapshot, diffs[i]!, removalsAllowed: true));
                sent[i] = true;
            }
        }

        ReportInSync(snapshot, diffs, sent);
        return output;
    }

    /// <summary>
    /// A type earlier in push order has additions not yet sent (its previous response is still in
    /// flight): this type waits, so that nothing ever arrives before what it refers to.
    /// </summary>
    private bool EarlierUpsertsPending(TypeDiff?[] diffs, bool[] sent, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (_types[i] is { Subscribed: true } && !sent[i] && diffs[i] is { Upserts.Count: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Another type has a response in flight, or additions not yet sent.</summary>
    private bool RemovalsBlocked(TypeDiff?[] diffs, bool[] sent, int except)
    {
        for (var i = 0; i < diffs.Length; i++)
        {
            if (i != except && _types[i] is { Subscribed: true } type
                && (type.Outstanding || (!sent[i] && diffs[i] is { Upserts.Count: > 0 })))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Tells the ledger which types are up to date without a new response: nothing to send, nothing
    /// in flight, and the last response ACKed. Whether the node also holds everything those resources
    /// refer to (the endpoints of a new EDS cluster, a cluster a new route names) is the ledger's
    /// concern: it follows the references through the subscriptions it is told about.
    /// </summary>
    private void ReportInSync(Snapshot snapshot, TypeDiff?[] diffs, bool[] sent)
    {
        for (var i = 0; i < _types.Length; i++)
        {
            if (_types[i] is { Subscribed: true, Outstanding: false, LastAcked: true, MustRespond: false } type
                && !sent[i] && diffs[i]!.IsEmpty)
            {
                Tracker.InSync(type.TypeUrl, snapshot);
            }
        }
    }

    /// <summary>
    /// The client holds an EDS cluster whose ClusterLoadAssignment exists but has not been sent to it
    /// (typically a new cluster whose EDS subscription is on its way). While the client subscribes to
    /// EDS, listeners and routes wait for it, so they never point at a cluster that is still warming.
    /// </summary>
    private bool MissingEndpoints(Snapshot snapshot)
    {
        if (_types[ClusterIndex] is not { Subscribed: true } clusters)
        {
            return false;
        }

        var endpoints = _types[EndpointIndex];
        foreach (var held in clusters.View.Values)
        {
            if (held.Sent?.EdsName is { } edsName && snapshot.Endpoints.Contains(edsName)
                && endpoints?.View.ContainsKey(edsName) != true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Envoy warms an updated EDS cluster until it gets EDS again, even if unchanged.</summary>
    private static bool ForceEndpoints(TypeSubscription endpoints, List<CachedResource> clusterUpserts)
    {
        var added = false;
        foreach (var cluster in clusterUpserts)
        {
            if (cluster.EdsName is { } edsName && endpoints.Includes(edsName))
            {
                added |= endpoints.Forced.Add(edsName);
            }
        }

        return added;
    }

    private (TResponse, string) Send(TypeSubscription type, Snapshot snapshot, TypeDiff diff, bool removalsAllowed)
    {
        var nonce = NextNonce();
        var set = snapshot.Get(type.TypeUrl);
        var response = BuildResponse(type, set, diff, removalsAllowed, snapshot, nonce, out var staged);
        type.LatestNonce = nonce;
        type.Outstanding = true;
        type.OutstandingSnapshot = snapshot;
        type.OutstandingCoversSubscription = true;
        type.OutstandingStaged = staged;
        type.OutstandingSince = Context.Time.GetTimestamp();
        type.MustRespond = false;
        type.Forced.Clear();
        type.SyncedSet = null;
        var removed = removalsAllowed ? diff.Removals.Count : 0;
        AdsLog.ResponseQueued(Context.Logger, Protocol, NodeId, type.ShortName, snapshot.Version, nonce, diff.Upserts.Count, removed, staged);
        return (response, type.TypeUrl);
    }
}
