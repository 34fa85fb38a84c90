using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// What the client rejected of one type on this stream: per name, the resource (version) a response
/// it NACKed brought, or a removal (null). Such content is not sent again until it changes or the
/// client asks for the name again. The client may still run some of it: Envoy and gRPC apply the
/// valid part of a response they reject, unless that response changed only this one thing.
/// </summary>
internal sealed class RejectionMemory
{
    private Dictionary<string, CachedResource?>? _byName;

    // Names rejected in a response that changed nothing else: the client cannot be running them.
    private HashSet<string>? _sure;

    public IEnumerable<string> Names => _byName?.Keys ?? Enumerable.Empty<string>();

    /// <summary>Nothing is remembered as rejected (the usual case, checked first on hot paths).</summary>
    public bool IsEmpty => _byName is not { Count: > 0 };

    /// <summary>The client rejected <paramref name="name"/> at <paramref name="version"/>.</summary>
    public bool Has(string name, string version) =>
        _byName is not null && _byName.TryGetValue(name, out var resource) && resource?.Version == version;

    /// <summary>The client rejected the removal of <paramref name="name"/> (or the news that it does not exist).</summary>
    public bool HasRemoval(string name) => _byName is not null && _byName.TryGetValue(name, out var resource) && resource is null;

    /// <summary>The rejected version of <paramref name="name"/>, if one was rejected.</summary>
    public CachedResource? Resource(string name) => _byName?.GetValueOrDefault(name);

    /// <summary>
    /// The rejected version of <paramref name="name"/> if the client may run it: it came with other
    /// changes in the response it rejected, so it may be the valid part the client applied.
    /// </summary>
    public CachedResource? MayRun(string name) => _sure?.Contains(name) == true ? null : Resource(name);

    public void Add(string name, CachedResource? resource)
    {
        (_byName ??= new(StringComparer.Ordinal))[name] = resource;
        _sure?.Remove(name);
    }

    /// <summary>
    /// Records what a rejected response would have changed. Delta (<paramref name="held"/> null): every
    /// resource and removal it carried. State of the world: the versions it carried that the client did
    /// not hold, and, for LDS and CDS (<paramref name="fullState"/>), the held resources it left out.
    /// </summary>
    public void Record(InFlightResponse response, ClientView? held, bool fullState)
    {
        var changes = new List<(string Name, CachedResource? Resource)>();
        if (held is null)
        {
            changes.AddRange(response.Resources.Select(r => (r.Name, (CachedResource?)r)));
            changes.AddRange(response.Removed.Select(n => (n, (CachedResource?)null)));
        }
        else
        {
            changes.AddRange(response.Resources.Where(r => held.VersionOf(r.Name) != r.Version).Select(r => (r.Name, (CachedResource?)r)));
            if (fullState)
            {
                var carried = response.Resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
                changes.AddRange(held.Entries.Where(e => e.Value.IsPresent && !carried.Contains(e.Key)).Select(e => (e.Key, (CachedResource?)null)));
            }
        }

        foreach (var (name, resource) in changes)
        {
            Add(name, resource);
        }

        if (changes.Count == 1)
        {
            (_sure ??= new(StringComparer.Ordinal)).Add(changes[0].Name);
        }
    }

    public void Forget(string name)
    {
        _byName?.Remove(name);
        _sure?.Remove(name);
    }

    public void Clear()
    {
        _byName = null;
        _sure = null;
    }
}
