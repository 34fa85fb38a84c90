using Envoy.Config.Route.V3;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>One route of a <see cref="RouteTable"/>: the spec it was built from and its message.</summary>
internal sealed class RouteEntry
{
    public RouteEntry(string key, RouteSpec spec, Route? route)
    {
        Key = key;
        Spec = spec;
        Route = route;
        Domains = NormaliseDomains(spec.Match.Hosts);
        var match = spec.Match;
        (KindRank, Specificity) = match switch
        {
            { Path: { } path } => (0, path.Length),
            { Regex: { } regex } => (1, regex.Length),
            _ => (2, (match.PathPrefix ?? "/").Length),
        };
        HeaderCount = match.Headers.IsDefault ? 0 : match.Headers.Length;
    }

    /// <summary>The route's key in <see cref="DesiredState.Routes"/>.</summary>
    public string Key { get; }

    public RouteSpec Spec { get; }

    /// <summary>The built route; null when the route is disabled (kept, but not served).</summary>
    public Route? Route { get; }

    /// <summary>Lower-case distinct domains; empty means any host ("*").</summary>
    public IReadOnlyList<string> Domains { get; }

    /// <summary>0 exact path, 1 regex, 2 prefix.</summary>
    public int KindRank { get; }

    public int Specificity { get; }

    public int HeaderCount { get; }

    /// <summary>
    /// Hosts are matched case-insensitively, so they are lower-cased and deduplicated here. A "*"
    /// among them means any host, which makes the others redundant.
    /// </summary>
    private static string[] NormaliseDomains(System.Collections.Immutable.ImmutableArray<string> hosts)
    {
        if (hosts.IsDefaultOrEmpty)
        {
            return [];
        }

        if (hosts.Length == 1)
        {
            return hosts[0] == RouteTable.AnyHost ? [] : [hosts[0].ToLowerInvariant()];
        }

        var domains = new List<string>(hosts.Length);
        foreach (var host in hosts)
        {
            if (host == RouteTable.AnyHost)
            {
                return [];
            }

            var domain = host.ToLowerInvariant();
            if (!domains.Contains(domain))
            {
                domains.Add(domain);
            }
        }

        return [.. domains];
    }
}
