using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// What a state-of-the-world response carries: every subscribed resource that exists, as the plan
/// allows. For RDS and EDS, where leaving a resource out means nothing, what waits
/// (<see cref="TypePlan.Gated"/>) and versions the client rejected are left out: it keeps what it
/// has. For LDS and CDS, where leaving one out deletes it, a resource that waits goes in the version
/// the client holds, if any, and a held one whose removal must wait stays in. Such a response is
/// "staged", and its version_info says so.
/// </summary>
internal static class SotwContent
{
    public const string StagedSuffix = "-staged";

    public static IReadOnlyList<CachedResource> Build(TypeState type, TypePlan plan, bool removalsAllowed, out bool staged)
    {
        if (!type.IsFullState)
        {
            var desired = TypePlanner.Desired(type, plan.Set);
            if (plan.Gated.Count == 0 && type.Rejected.IsEmpty)
            {
                // Nothing to leave out: the desired list is the response (shared, never changed).
                staged = false;
                return desired;
            }

            var carried = desired.Where(r => !plan.Gated.Contains(r) && !type.Rejected.Has(r.Name, r.Version)).ToList();
            staged = carried.Count != desired.Count;
            return !staged && type.Wildcard && plan.HeldBackHosts.Count == 0 ? plan.Set.Resources : carried;
        }

        var kept = removalsAllowed ? plan.StillUsed : plan.StillUsed.Concat(plan.Removals).ToList();
        staged = plan.Gated.Count > 0 || kept.Count > 0;
        if (!staged && type.Wildcard)
        {
            // Exactly the set: share its list, so the ACKed view can point at the set.
            return plan.Set.Resources;
        }

        var content = new List<CachedResource>();
        foreach (var resource in TypePlanner.Desired(type, plan.Set))
        {
            if (!plan.Gated.Contains(resource))
            {
                content.Add(resource);
            }
            else if (Held(type, resource.Name) is { } held)
            {
                content.Add(held);
            }
        }

        foreach (var name in kept)
        {
            if (Held(type, name) is { } held)
            {
                content.Add(held);
            }
        }

        content.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return content;
    }

    /// <summary>
    /// Whether <paramref name="content"/> changes anything for the client that it has not rejected: a
    /// version it does not hold (or may not run: it took another from a response it rejected) and did
    /// not reject, the omission of a held LDS or CDS resource whose removal it did not reject, or a
    /// resource it must get again (unless that version is one it rejected).
    /// </summary>
    public static bool HasNews(TypeState type, IReadOnlyList<CachedResource> content)
    {
        foreach (var resource in content)
        {
            if (!type.Rejected.Has(resource.Name, resource.Version)
                && (type.Resend.Contains(resource.Name) || type.Held.VersionOf(resource.Name) != resource.Version
                    || type.Rejected.MayRun(resource.Name) is not null))
            {
                return true;
            }
        }

        if (!type.IsFullState)
        {
            return false;
        }

        var carried = content.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return type.Held.Entries.Any(e => e.Value.IsPresent && !carried.Contains(e.Key) && !type.Rejected.HasRemoval(e.Key));
    }

    /// <summary>The version the client holds, or may hold from a response it rejected.</summary>
    private static CachedResource? Held(TypeState type, string name) =>
        type.Held.TryGet(name, out var held) ? held.Resource : type.Rejected.MayRun(name);
}
