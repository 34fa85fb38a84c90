using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// What the client rejected of one type on this stream: per name, the resource (version) a response
/// it NACKed brought, or a removal (null). Such content is not sent again until it changes or the
/// client asks for the name again. The client may still run some of it: Envoy and gRPC apply the
/// valid part of a response they reject.
/// </summary>
internal sealed class RejectionMemory
{
    private Dictionary<string, CachedResource?>? _byName;

    public IEnumerable<string> Names => _byName?.Keys ?? Enumerable.Empty<string>();

    /// <summary>The client rejected <paramref name="name"/> at <paramref name="version"/>.</summary>
    public bool Has(string name, string version) =>
        _byName is not null && _byName.TryGetValue(name, out var resource) && resource?.Version == version;

    /// <summary>The client rejected the removal of <paramref name="name"/> (or the news that it does not exist).</summary>
    public bool HasRemoval(string name) => _byName is not null && _byName.TryGetValue(name, out var resource) && resource is null;

    /// <summary>The rejected version of <paramref name="name"/>, if one was rejected.</summary>
    public CachedResource? Resource(string name) => _byName?.GetValueOrDefault(name);

    public void Add(string name, CachedResource? resource) => (_byName ??= new(StringComparer.Ordinal))[name] = resource;

    /// <summary>
    /// Records what a rejected response would have changed. Delta (<paramref name="held"/> null): every
    /// resource and removal it carried. State of the world: the versions it carried that the client did
    /// not hold, and, for LDS and CDS (<paramref name="fullState"/>), the held resources it left out.
    /// </summary>
    public void Record(InFlightResponse response, ClientView? held, bool fullState)
    {
        if (held is null)
        {
            foreach (var resource in response.Resources)
            {
                Add(resource.Name, resource);
            }

            foreach (var name in response.Removed)
            {
                Add(name, null);
            }

            return;
        }

        foreach (var resource in response.Resources.Where(r => held.VersionOf(r.Name) != r.Version))
        {
            Add(resource.Name, resource);
        }

        if (fullState)
        {
            var carried = response.Resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, _) in held.Entries.Where(e => e.Value.IsPresent && !carried.Contains(e.Key)).ToList())
            {
                Add(name, null);
            }
        }
    }

    public void Forget(string name) => _byName?.Remove(name);

    public void Clear() => _byName = null;
}
