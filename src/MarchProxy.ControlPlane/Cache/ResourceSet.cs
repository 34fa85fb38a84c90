namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The resources of one type in a snapshot, ordered by name (ordinal). When a type does not change
/// between two snapshots the new snapshot shares the same <see cref="ResourceSet"/> instance, so a
/// stream can tell in O(1) that it has nothing to send.
/// </summary>
public sealed class ResourceSet
{
    private readonly Dictionary<string, CachedResource> _byName;

    internal ResourceSet(string typeUrl, string version, IReadOnlyList<CachedResource> resources)
    {
        TypeUrl = typeUrl;
        Version = version;
        Resources = resources;
        _byName = new Dictionary<string, CachedResource>(resources.Count, StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            _byName.Add(resource.Name, resource);
        }
    }

    public string TypeUrl { get; }

    /// <summary>
    /// The type's version: the config version at which this type's content last changed. It is the
    /// version_info of state-of-the-world responses, so an unchanged type keeps its version.
    /// </summary>
    public string Version { get; }

    /// <summary>Every resource of the type, ordered by name.</summary>
    public IReadOnlyList<CachedResource> Resources { get; }

    public int Count => Resources.Count;

    public bool Contains(string name) => _byName.ContainsKey(name);

    public CachedResource? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>True when both sets hold the same names with the same content hashes.</summary>
    internal bool HasSameContent(ResourceSet other)
    {
        if (Count != other.Count)
        {
            return false;
        }

        foreach (var resource in Resources)
        {
            var theirs = other.Find(resource.Name);
            if (theirs is null || !string.Equals(theirs.Version, resource.Version, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
