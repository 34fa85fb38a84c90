using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// One stream's state for one resource type: the subscription, the client's view (what we sent it),
/// the response in flight, and why we must respond. Owned by the stream's processing loop only.
/// </summary>
internal sealed class TypeSubscription(string typeUrl)
{
    public string TypeUrl => typeUrl;

    public bool IsFullState { get; } = ResourceTypes.IsFullState(typeUrl);

    /// <summary>CDS, EDS, LDS or RDS, for logs.</summary>
    public string ShortName { get; } = ResourceTypes.ShortName(typeUrl);

    /// <summary>The client has asked for this type on this stream.</summary>
    public bool Subscribed { get; set; }

    public bool Wildcard { get; set; }

    /// <summary>State of the world: the client's first request named nothing, so empty names keep meaning "all".</summary>
    public bool LegacyWildcard { get; set; }

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>What the client holds, as far as this stream knows (updated when we send, not when it ACKs).</summary>
    public Dictionary<string, ViewEntry> View { get; } = new(StringComparer.Ordinal);

    /// <summary>Resources to send again even though the client holds them (EDS after a CDS update).</summary>
    public HashSet<string> Forced { get; } = new(StringComparer.Ordinal);

    /// <summary>Respond on the next pass even with nothing new (first request, new full-state names).</summary>
    public bool MustRespond { get; set; }

    /// <summary>The set the view was last found equal to: when the snapshot still has it, nothing changed.</summary>
    public ResourceSet? SyncedSet { get; set; }

    public string? LatestNonce { get; set; }

    /// <summary>A response is in flight: the next one waits for its ACK or NACK.</summary>
    public bool Outstanding { get; set; }

    /// <summary>The snapshot the response in flight was built from.</summary>
    public Snapshot? OutstandingSnapshot { get; set; }

    public long OutstandingVersion => OutstandingSnapshot?.Version ?? -1;

    /// <summary>
    /// False once the client subscribed to more names while the response was in flight: its ACK does
    /// not cover them.
    /// </summary>
    public bool OutstandingCoversSubscription { get; set; }

    /// <summary>The response in flight deferred removals, so its ACK does not mean "up to date".</summary>
    public bool OutstandingStaged { get; set; }

    public long OutstandingSince { get; set; }

    /// <summary>The last response of this type was ACKed (not NACKed).</summary>
    public bool LastAcked { get; set; }

    public bool Includes(string name) => Wildcard || Names.Contains(name);

    /// <summary>The subscribed resources that exist, in name order.</summary>
    public IEnumerable<CachedResource> Desired(ResourceSet set) => Wildcard
        ? set.Resources
        : Names.Select(set.Find).OfType<CachedResource>().OrderBy(r => r.Name, StringComparer.Ordinal);

    /// <summary>
    /// Compares the view with <paramref name="set"/>. With <paramref name="delta"/> false (state of the
    /// world), a vanished RDS/EDS resource is dropped from the view silently (omission means nothing
    /// there), and absent names produce no notices.
    /// </summary>
    public TypeDiff Diff(ResourceSet set, bool delta)
    {
        if (ReferenceEquals(SyncedSet, set) && Forced.Count == 0)
        {
            return TypeDiff.Empty;
        }

        Forced.RemoveWhere(name => !Includes(name) || !set.Contains(name));
        var diff = new TypeDiff();
        foreach (var resource in Desired(set))
        {
            if (Forced.Contains(resource.Name)
                || !View.TryGetValue(resource.Name, out var held)
                || !string.Equals(held.Version, resource.Version, StringComparison.Ordinal))
            {
                diff.Upserts.Add(resource);
            }
        }

        if (delta)
        {
            diff.Notices.AddRange(Names.Where(n => !set.Contains(n) && !View.ContainsKey(n)).Order(StringComparer.Ordinal));
        }

        List<string>? silent = null;
        foreach (var (name, held) in View)
        {
            if (held.Version is null || set.Contains(name))
            {
                continue;
            }

            if (delta || IsFullState)
            {
                diff.Removals.Add(name);
            }
            else
            {
                (silent ??= []).Add(name);
            }
        }

        silent?.ForEach(name => View.Remove(name));
        diff.Removals.Sort(StringComparer.Ordinal);
        if (diff.IsEmpty)
        {
            SyncedSet = set;
        }

        return diff;
    }

    /// <summary>Forgets view entries for names the client no longer subscribes to.</summary>
    public void DropUnsubscribed()
    {
        if (Wildcard)
        {
            return;
        }

        foreach (var name in View.Keys.Where(n => !Names.Contains(n)).ToList())
        {
            View.Remove(name);
        }
    }
}
