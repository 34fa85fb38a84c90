using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>Carries the state machine's ledger effects into a stream's <see cref="NodeTracker"/>.</summary>
internal static class LedgerEffects
{
    /// <summary>Applies <paramref name="effect"/> if it is one for the ledger; false for sends and log-only effects.</summary>
    public static bool Apply(AdsEffect effect, NodeTracker tracker)
    {
        switch (effect)
        {
            case SubscriptionEffect subscription:
                tracker.Subscribed(subscription.TypeUrl, subscription.Wildcard, subscription.Names);
                return true;
            case AckEffect { Holds: { } holds } ack:
                tracker.Acked(ack.TypeUrl, holds, heldBack: ack.HeldBack);
                return true;
            case AckEffect ack:
                tracker.AckedPartial(ack.TypeUrl);
                return true;
            case NackEffect nack:
                tracker.Nacked(nack.TypeUrl, nack.Version, nack.Error, nack.HeldBack);
                return true;
            case InSyncEffect inSync:
                tracker.InSync(inSync.TypeUrl, inSync.Snapshot, inSync.HeldBack);
                return true;
            case StillRejectedEffect stillRejected:
                tracker.StillRejected(stillRejected.TypeUrl, stillRejected.Snapshot);
                return true;
            default:
                return false;
        }
    }
}
