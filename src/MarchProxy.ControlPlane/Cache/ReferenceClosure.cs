namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The one walk over references between resources (listener → route configuration → cluster →
/// ClusterLoadAssignment, following <see cref="ResourceReferences.Targets"/>). The snapshot uses it
/// to find dangling references; the ACK ledger uses it to check that a node holds everything the
/// resources it holds refer to.
/// </summary>
internal static class ReferenceClosure
{
    /// <summary>
    /// Walks breadth first from <paramref name="roots"/>, visiting each resource once.
    /// <paramref name="resolve"/> gives the resource a key names (for whoever holds the resources), or
    /// null; each reference that does not resolve goes to <paramref name="dangling"/> (referrer, target),
    /// which returns false to stop the walk there. Returns true when every reference resolved.
    /// </summary>
    public static bool Walk(
        IEnumerable<(ResourceKey Key, CachedResource Resource)> roots,
        Func<ResourceKey, CachedResource?> resolve,
        Func<ResourceKey, ResourceKey, bool> dangling)
    {
        var visited = new HashSet<ResourceKey>();
        var queue = new Queue<(ResourceKey Key, CachedResource Resource)>();
        foreach (var root in roots)
        {
            if (visited.Add(root.Key))
            {
                queue.Enqueue(root);
            }
        }

        var complete = true;
        while (queue.TryDequeue(out var current))
        {
            foreach (var target in current.Resource.References.Targets)
            {
                if (resolve(target) is { } resource)
                {
                    if (visited.Add(target))
                    {
                        queue.Enqueue((target, resource));
                    }

                    continue;
                }

                complete = false;
                if (!dangling(current.Key, target))
                {
                    return false;
                }
            }
        }

        return complete;
    }
}
