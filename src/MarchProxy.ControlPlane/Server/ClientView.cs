using System.Diagnostics.CodeAnalysis;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// What a client holds of one type, as far as its ACKs (and its own subscription changes) tell. While
/// it holds exactly the resources of one <see cref="ResourceSet"/> (the usual wildcard case) the view
/// only points at that set, so an idle stream costs no copy of the snapshot.
/// </summary>
internal sealed class ClientView
{
    private ResourceSet? _alias;
    private Dictionary<string, HeldResource>? _map;

    public int Count => _alias?.Count ?? _map?.Count ?? 0;

    public bool TryGet(string name, out HeldResource held)
    {
        if (_alias is not null)
        {
            var resource = _alias.Find(name);
            held = resource is null ? default : HeldResource.Of(resource);
            return resource is not null;
        }

        if (_map is not null)
        {
            return _map.TryGetValue(name, out held);
        }

        held = default;
        return false;
    }

    public bool Contains(string name) => TryGet(name, out _);

    /// <summary>The held version of <paramref name="name"/>, or null when nothing (or an absence) is held.</summary>
    public string? VersionOf(string name) => TryGet(name, out var held) ? held.Version : null;

    public IEnumerable<KeyValuePair<string, HeldResource>> Entries => _alias is not null
        ? _alias.Resources.Select(r => KeyValuePair.Create(r.Name, HeldResource.Of(r)))
        : _map ?? Enumerable.Empty<KeyValuePair<string, HeldResource>>();

    public void Set(string name, HeldResource held) => Writable()[name] = held;

    public bool Remove(string name) => Count > 0 && Writable().Remove(name);

    public void Clear()
    {
        _alias = null;
        _map = null;
    }

    /// <summary>Forgets every name <paramref name="drop"/> picks.</summary>
    public void RemoveWhere(Func<string, bool> drop)
    {
        List<string>? dropped = null;
        foreach (var (name, _) in Entries)
        {
            if (drop(name))
            {
                (dropped ??= []).Add(name);
            }
        }

        dropped?.ForEach(name => Remove(name));
    }

    /// <summary>The client now holds exactly <paramref name="resources"/>; they are <paramref name="set"/>'s own when it is given.</summary>
    public void Replace(IReadOnlyList<CachedResource> resources, ResourceSet? set)
    {
        if (set is not null && ReferenceEquals(resources, set.Resources))
        {
            _alias = set;
            _map = null;
            return;
        }

        _alias = null;
        _map = new Dictionary<string, HeldResource>(resources.Count, StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            _map[resource.Name] = HeldResource.Of(resource);
        }
    }

    /// <summary>
    /// When <paramref name="resources"/> are exactly <paramref name="set"/>'s (the same instances, in
    /// order) and the view holds no name outside the set, the view becomes the set and this returns
    /// true; otherwise nothing changes.
    /// </summary>
    public bool TryAliasWhole(IReadOnlyList<CachedResource> resources, ResourceSet set)
    {
        if (resources.Count != set.Count)
        {
            return false;
        }

        if (!ReferenceEquals(resources, set.Resources))
        {
            for (var i = 0; i < resources.Count; i++)
            {
                if (!ReferenceEquals(resources[i], set.Resources[i]))
                {
                    return false;
                }
            }
        }

        if (!ReferenceEquals(_alias, set))
        {
            foreach (var (name, _) in Entries)
            {
                if (!set.Contains(name))
                {
                    return false;
                }
            }
        }

        _alias = set;
        _map = null;
        return true;
    }

    /// <summary>Points at <paramref name="set"/> instead of a copy when the view holds exactly its resources.</summary>
    public void Compact(ResourceSet set)
    {
        if (_map is null || _map.Count != set.Count)
        {
            return;
        }

        foreach (var resource in set.Resources)
        {
            if (!_map.TryGetValue(resource.Name, out var held) || !ReferenceEquals(held.Resource, resource))
            {
                return;
            }
        }

        _alias = set;
        _map = null;
    }

    [MemberNotNull(nameof(_map))]
    private Dictionary<string, HeldResource> Writable()
    {
        if (_map is null)
        {
            _map = new Dictionary<string, HeldResource>(_alias?.Count ?? 0, StringComparer.Ordinal);
            foreach (var resource in _alias?.Resources ?? [])
            {
                _map[resource.Name] = HeldResource.Of(resource);
            }

            _alias = null;
        }

        return _map;
    }
}
