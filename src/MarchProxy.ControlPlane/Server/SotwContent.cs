using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// What a state-of-the-world response carries: every subscribed resource that exists, as the plan
/// allows. A resource that waits (<see cref="TypePlan.Gated"/>) goes in the version the client
/// holds, if any; a held LDS or CDS resource whose removal must wait stays in (the response is then
/// "staged", and its version_info says so), because a full-state response without it would delete it.
/// </summary>
internal static class SotwContent
{
    public const string StagedSuffix = "-staged";

    public static IReadOnlyList<CachedResource> Build(TypeState type, TypePlan plan, bool removalsAllowed, out bool staged)
    {
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

    /// <summary>Both hold the same names at the same versions (both are in name order).</summary>
    public static bool Same(IReadOnlyList<CachedResource> a, IReadOnlyList<CachedResource> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i].Name, b[i].Name, StringComparison.Ordinal) || !string.Equals(a[i].Version, b[i].Version, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static CachedResource? Held(TypeState type, string name) =>
        type.Held.TryGet(name, out var held) ? held.Resource : null;
}
