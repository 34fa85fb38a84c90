using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Route configurations only: the virtual hosts a stream's client rejected, so that one bad host does
/// not freeze every other. Envoy and gRPC reject a RouteConfiguration whole; when the rejected one
/// changed nothing else, the hosts it added or changed against what the client last ACKed are the
/// suspects. A later response carries a suspect host that still has the rejected content as the client
/// last ACKed it (or leaves it out), and everything else as it is now; once the host changes, it goes
/// out again. Nothing is serialised: the route configuration is composed from virtual host slices.
/// </summary>
internal sealed class VirtualHostHoldBack
{
    // Per route configuration, per virtual host name: the content the client rejected.
    private readonly Dictionary<string, Dictionary<string, (ReadOnlyMemory<byte> Bytes, HeldBackHost Host)>> _suspects = new(StringComparer.Ordinal);

    // Per route configuration, the last composition and what it was made from.
    private readonly Dictionary<string, (CachedResource Current, CachedResource? Acked, int Generation, CachedResource Result, HeldBackHost[] Held)> _composed =
        new(StringComparer.Ordinal);

    private int _generation;

    public bool IsEmpty => _suspects.Count == 0;

    /// <summary>Every suspect host, by route configuration and name.</summary>
    public IReadOnlyList<HeldBackHost> Hosts => [.. _suspects.Values.SelectMany(s => s.Values.Select(v => v.Host))
        .OrderBy(h => h.RouteConfiguration, StringComparer.Ordinal).ThenBy(h => h.VirtualHost, StringComparer.Ordinal)];

    /// <summary>
    /// The client rejected <paramref name="response"/>. If its only change was one route configuration
    /// the client holds a version of (so the fault is in what changed), the hosts that differ from that
    /// version become suspects.
    /// </summary>
    public void Record(InFlightResponse response, ClientView held, bool incremental)
    {
        var changed = incremental ? response.Resources : response.Resources.Where(r => held.VersionOf(r.Name) != r.Version).ToList();
        if (changed.Count != 1 || response.Removed.Count > 0 || !held.TryGet(changed[0].Name, out var acked) || acked.Resource is null)
        {
            return;
        }

        var rejected = changed[0];
        var before = ByName(acked.Resource);
        foreach (var host in VirtualHostSlices.Of(rejected))
        {
            var name = VirtualHostSlices.NameOf(host.Bytes.Span);
            if (before.TryGetValue(name, out var previous) && previous.Bytes.Span.SequenceEqual(host.Bytes.Span))
            {
                continue;
            }

            if (!_suspects.TryGetValue(rejected.Name, out var suspects))
            {
                _suspects[rejected.Name] = suspects = new(StringComparer.Ordinal);
            }

            var domains = VirtualHostSlices.DomainsOf(host.Bytes.Span);
            suspects[name] = (host.Bytes, new HeldBackHost(rejected.Name, name, domains, response.Snapshot.Version));
            _generation++;
        }
    }

    /// <summary>
    /// What the client is sent for <paramref name="current"/>: itself, or, when suspects still have their
    /// rejected content, a composition with those hosts as in <paramref name="acked"/> (or left out);
    /// <paramref name="held"/> names them.
    /// </summary>
    public CachedResource Apply(CachedResource current, CachedResource? acked, out IReadOnlyList<HeldBackHost> held)
    {
        held = [];
        if (!_suspects.TryGetValue(current.Name, out var suspects))
        {
            return current;
        }

        if (_composed.TryGetValue(current.Name, out var last) && ReferenceEquals(last.Current, current)
            && ReferenceEquals(last.Acked, acked) && last.Generation == _generation)
        {
            held = last.Held;
            return last.Result;
        }

        var hosts = VirtualHostSlices.Of(current);
        Dictionary<string, VirtualHostEncoding>? before = null;
        List<VirtualHostEncoding>? kept = null;
        var heldHosts = new List<HeldBackHost>();
        for (var i = 0; i < hosts.Count; i++)
        {
            var name = VirtualHostSlices.NameOf(hosts[i].Bytes.Span);
            if (suspects.TryGetValue(name, out var suspect) && suspect.Bytes.Span.SequenceEqual(hosts[i].Bytes.Span))
            {
                kept ??= [.. hosts.Take(i)];
                heldHosts.Add(suspect.Host);
                before ??= acked is null ? [] : ByName(acked);
                if (before.TryGetValue(name, out var previous))
                {
                    kept.Add(previous);
                }
            }
            else
            {
                kept?.Add(hosts[i]);
            }
        }

        var result = kept is null ? current : VirtualHostSlices.Compose(current, kept);
        _composed[current.Name] = (current, acked, _generation, result, [.. heldHosts]);
        held = heldHosts;
        return result;
    }

    /// <summary>Drops suspects whose host changed (or went) in <paramref name="set"/>, and route configurations no longer asked for.</summary>
    public void Prune(ResourceSet set, Func<string, bool> includes)
    {
        foreach (var (route, suspects) in _suspects.ToList())
        {
            var current = includes(route) ? set.Find(route) : null;
            var now = current is null ? [] : ByName(current);
            foreach (var (name, suspect) in suspects.ToList())
            {
                if (!now.TryGetValue(name, out var host) || !host.Bytes.Span.SequenceEqual(suspect.Bytes.Span))
                {
                    suspects.Remove(name);
                    _generation++;
                }
            }

            if (suspects.Count == 0)
            {
                Forget(route);
            }
        }
    }

    public void Forget(string routeConfiguration)
    {
        if (_suspects.Remove(routeConfiguration))
        {
            _composed.Remove(routeConfiguration);
            _generation++;
        }
    }

    private static Dictionary<string, VirtualHostEncoding> ByName(CachedResource resource)
    {
        var byName = new Dictionary<string, VirtualHostEncoding>(StringComparer.Ordinal);
        foreach (var host in VirtualHostSlices.Of(resource))
        {
            byName.TryAdd(VirtualHostSlices.NameOf(host.Bytes.Span), host);
        }

        return byName;
    }
}
