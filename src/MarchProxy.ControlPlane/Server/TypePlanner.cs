using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>Compares one type's ACKed view with a snapshot (see <see cref="TypePlan"/>). Reads the state; changes nothing but its cache.</summary>
internal static class TypePlanner
{
    public static TypePlan Plan(TypeState type, Snapshot snapshot, ReferenceGates gates)
    {
        var set = snapshot.Get(type.TypeUrl);
        if (type.QuietPlan is { } quiet && ReferenceEquals(quiet.Set, set) && quiet.Generation == type.Generation)
        {
            return quiet.Plan;
        }

        var plan = new TypePlan(set);
        AddChanges(type, plan, gates);
        if (RemovesExplicitly(type))
        {
            AddRemovals(type, plan, gates);
        }

        if (type.Incremental)
        {
            AddNotices(type, plan);
        }

        // A quiet plan depends on this type's state and the set only, so it holds until either changes.
        if (plan.Quiet)
        {
            type.QuietPlan = (plan, set, type.Generation);
        }

        return plan;
    }

    /// <summary>
    /// The subscribed resources that exist, in name order, as the client is to get them: a route
    /// configuration with virtual hosts held back is the composition <see cref="VirtualHostHoldBack"/> makes.
    /// </summary>
    public static IReadOnlyList<CachedResource> Desired(TypeState type, ResourceSet set)
    {
        var resources = type.SubscribedIn(set);
        return type.HoldBack is { IsEmpty: false } ? [.. resources.Select(r => Effective(type, r, plan: null))] : resources;
    }

    /// <summary>What the client is to get for <paramref name="resource"/>; a composition is noted in <paramref name="plan"/>.</summary>
    private static CachedResource Effective(TypeState type, CachedResource resource, TypePlan? plan)
    {
        if (type.HoldBack is not { IsEmpty: false } holdBack)
        {
            return resource;
        }

        type.Held.TryGet(resource.Name, out var acked);
        var effective = holdBack.Apply(resource, acked.Resource, out var held);
        if (plan is not null && held.Count > 0)
        {
            foreach (var host in held)
            {
                plan.AddHeldBackHost(host);
            }

            plan.AddComposed(effective);
        }

        return effective;
    }

    /// <summary>
    /// Whether a held resource gone from the snapshot is removed by a message. State of the world: only
    /// for LDS and CDS (for the others, omission means nothing). Delta: not for route configurations
    /// asked for by name, because Envoy ignores RDS removals (it logs an error) and drops a route
    /// configuration itself once no listener uses it.
    /// </summary>
    private static bool RemovesExplicitly(TypeState type) => type.Incremental
        ? type.TypeUrl != ResourceTypes.Route || type.Wildcard
        : type.IsFullState;

    private static void AddChanges(TypeState type, TypePlan plan, ReferenceGates gates)
    {
        foreach (var subscribed in type.SubscribedIn(plan.Set))
        {
            var resource = Effective(type, subscribed, plan);
            // In sync only if the client cannot be running another version, taken from a response it rejected.
            if (!type.Resend.Contains(resource.Name) && type.Held.VersionOf(resource.Name) == resource.Version
                && (type.Rejected.MayRun(resource.Name)?.Version ?? resource.Version) == resource.Version)
            {
                continue;
            }

            if (type.Incremental && type.Rejected.Has(resource.Name, resource.Version))
            {
                plan.Rejected++;
            }
            else if (gates.Waits(type, resource))
            {
                plan.AddGated(resource);
            }
            else
            {
                plan.AddUpsert(resource);
            }
        }
    }

    private static void AddRemovals(TypeState type, TypePlan plan, ReferenceGates gates)
    {
        var gone = type.Held.Entries.Where(e => e.Value.IsPresent && !plan.Set.Contains(e.Key)).Select(e => e.Key).ToList();

        // The client may hold content of a response it rejected (Envoy applies the valid part). Delta: a
        // rejected resource that is gone now is removed too. State of the world: one still in use stays
        // in the response while it is (omitting it would delete it); otherwise omitting it is its removal.
        var rejected = type.Rejected.Names.Where(n => !type.Held.Contains(n) && !plan.Set.Contains(n));
        gone.AddRange(type.Incremental
            ? rejected
            : rejected.Where(n => type.Rejected.Resource(n) is not null && gates.StillUsed(type.TypeUrl, n)));

        foreach (var name in gone.Order(StringComparer.Ordinal))
        {
            if (type.Incremental && type.Rejected.HasRemoval(name))
            {
                plan.Rejected++;
            }
            else if (gates.StillUsed(type.TypeUrl, name))
            {
                plan.AddStillUsed(name);
            }
            else
            {
                plan.AddRemoval(name);
            }
        }
    }

    private static void AddNotices(TypeState type, TypePlan plan)
    {
        foreach (var name in type.Names.Union(type.Resend, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (plan.Set.Contains(name)
                || (type.Held.TryGet(name, out var held) && (held.IsPresent || !type.Resend.Contains(name))))
            {
                // It exists; or it is held (a removal, or kept); or the client was already told it is gone.
                continue;
            }

            if (type.Rejected.HasRemoval(name))
            {
                plan.Rejected++;
            }
            else
            {
                plan.AddNotice(name);
            }
        }
    }
}
