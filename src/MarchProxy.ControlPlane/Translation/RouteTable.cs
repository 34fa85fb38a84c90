using System.Collections.Immutable;
using Envoy.Config.Route.V3;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// The routes of a desired state, grouped into one <see cref="VirtualHost"/> per domain, kept
/// between translations so that only what changed is rebuilt.
/// </summary>
/// <remarks>
/// <para>Each route host becomes a virtual host named after it, with that one domain. Its routes
/// are the routes that list the host, in <see cref="RouteEntryComparer"/> order, followed by the
/// routes that list no host (which apply to any host). Routes without hosts also form the "*"
/// virtual host. One domain per virtual host means no domain can appear in two virtual hosts (Envoy
/// NACKs that), and a request for a listed host still reaches the host-less routes, as it would if
/// that host had no routes of its own.</para>
/// <para>A route is rebuilt only when its <see cref="RouteSpec"/> is a different reference from
/// last time; a virtual host is rebuilt only when one of its routes changed. Unchanged routes and
/// virtual hosts keep their message instances. Not thread-safe.</para>
/// </remarks>
internal sealed class RouteTable(Func<RouteSpec, Route> buildRoute)
{
    public const string AnyHost = "*";

    private readonly Dictionary<string, SortedSet<RouteEntry>> _byDomain = new(StringComparer.Ordinal);
    private readonly SortedSet<RouteEntry> _anyHost = new(RouteEntryComparer.Instance);
    private readonly Dictionary<string, VirtualHost> _virtualHosts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private ImmutableSortedDictionary<string, RouteSpec>? _last;
    private string[] _domains = [];

    // The entries of the last update in key order, and a second buffer for the next update.
    private RouteEntry[] _ordered = [];
    private int _orderedCount;
    private RouteEntry[] _spare = [];

    /// <summary>The route hosts in ordinal order, without "*".</summary>
    public IReadOnlyList<string> Domains => _domains;

    /// <summary>The virtual host for routes without hosts; null when there are none.</summary>
    public VirtualHost? AnyHostVirtualHost => _virtualHosts.GetValueOrDefault(AnyHost);

    /// <summary>How many route messages the last <see cref="Update"/> built.</summary>
    public int RoutesBuilt { get; private set; }

    /// <summary>How many virtual hosts the last <see cref="Update"/> built.</summary>
    public int VirtualHostsBuilt { get; private set; }

    /// <summary>The virtual host of <paramref name="domain"/>, one of <see cref="Domains"/>.</summary>
    public VirtualHost GetVirtualHost(string domain) => _virtualHosts[domain];

    /// <summary>Brings the table up to date; returns true when any virtual host changed.</summary>
    public bool Update(ImmutableSortedDictionary<string, RouteSpec> routes)
    {
        RoutesBuilt = 0;
        VirtualHostsBuilt = 0;
        if (ReferenceEquals(routes, _last))
        {
            return false;
        }

        _last = routes;
        if (!ReferenceEquals(routes.KeyComparer, StringComparer.Ordinal))
        {
            routes = routes.WithComparers(StringComparer.Ordinal);
        }

        MergeEntries(routes);
        if (_dirty.Count == 0)
        {
            return false;
        }

        RebuildDirty();
        _dirty.Clear();
        return true;
    }

    /// <summary>
    /// Walks the new routes and the previous entries together, both in ordinal key order, so that an
    /// unchanged route costs a reference comparison and no lookup; builds the changed and new routes
    /// and unindexes the replaced and removed ones.
    /// </summary>
    private void MergeEntries(ImmutableSortedDictionary<string, RouteSpec> routes)
    {
        var previous = _ordered;
        var previousCount = _orderedCount;
        var next = _spare.Length >= routes.Count ? _spare : new RouteEntry[routes.Count];
        var j = 0;
        var n = 0;
        foreach (var (key, spec) in routes)
        {
            RouteEntry? old = null;
            while (j < previousCount)
            {
                var candidate = previous[j];
                var order = ReferenceEquals(candidate.Key, key) ? 0 : string.CompareOrdinal(candidate.Key, key);
                if (order > 0)
                {
                    break;
                }

                j++;
                if (order == 0)
                {
                    old = candidate;
                    break;
                }

                Unindex(candidate);
            }

            if (old is not null && ReferenceEquals(old.Spec, spec))
            {
                next[n++] = old;
                continue;
            }

            if (old is not null)
            {
                Unindex(old);
            }

            var entry = new RouteEntry(key, spec, spec.Enabled ? buildRoute(spec) : null);
            RoutesBuilt += entry.Route is null ? 0 : 1;
            Index(entry);
            next[n++] = entry;
        }

        while (j < previousCount)
        {
            Unindex(previous[j++]);
        }

        Array.Clear(previous, 0, previousCount);
        _spare = previous;
        _ordered = next;
        _orderedCount = n;
    }

    private void Index(RouteEntry entry)
    {
        if (entry.Route is null)
        {
            return;
        }

        if (entry.Domains.Count == 0)
        {
            _anyHost.Add(entry);
            _dirty.Add(AnyHost);
            return;
        }

        foreach (var domain in entry.Domains)
        {
            if (!_byDomain.TryGetValue(domain, out var set))
            {
                set = new SortedSet<RouteEntry>(RouteEntryComparer.Instance);
                _byDomain.Add(domain, set);
            }

            set.Add(entry);
            _dirty.Add(domain);
        }
    }

    private void Unindex(RouteEntry entry)
    {
        if (entry.Route is null)
        {
            return;
        }

        if (entry.Domains.Count == 0)
        {
            _anyHost.Remove(entry);
            _dirty.Add(AnyHost);
            return;
        }

        foreach (var domain in entry.Domains)
        {
            _byDomain[domain].Remove(entry);
            _dirty.Add(domain);
        }
    }

    private void RebuildDirty()
    {
        if (_dirty.Contains(AnyHost))
        {
            // Host-less routes are part of every virtual host.
            _dirty.UnionWith(_byDomain.Keys);
        }

        var domainsChanged = false;
        foreach (var domain in _dirty)
        {
            if (domain == AnyHost)
            {
                if (_anyHost.Count == 0)
                {
                    _virtualHosts.Remove(AnyHost);
                }
                else
                {
                    _virtualHosts[AnyHost] = Build(AnyHost, _anyHost);
                }
            }
            else if (_byDomain.TryGetValue(domain, out var set) && set.Count > 0)
            {
                domainsChanged |= !_virtualHosts.ContainsKey(domain);
                _virtualHosts[domain] = Build(domain, set);
            }
            else
            {
                _byDomain.Remove(domain);
                domainsChanged |= _virtualHosts.Remove(domain);
            }
        }

        if (domainsChanged)
        {
            _domains = [.. _byDomain.Keys.Order(StringComparer.Ordinal)];
        }
    }

    private VirtualHost Build(string domain, IEnumerable<RouteEntry> own)
    {
        VirtualHostsBuilt++;
        var virtualHost = new VirtualHost { Name = domain, Domains = { domain } };
        foreach (var entry in own)
        {
            virtualHost.Routes.Add(entry.Route);
        }

        if (domain != AnyHost)
        {
            foreach (var entry in _anyHost)
            {
                virtualHost.Routes.Add(entry.Route);
            }
        }

        return virtualHost;
    }
}
