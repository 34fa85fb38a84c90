using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Tests.TestSupport;
using MarchProxy.ControlPlane.Translation;

namespace MarchProxy.ControlPlane.Tests.Server.Model;

/// <summary>
/// The desired state of a model run: four clusters (EDS or static), two route configurations of two
/// virtual hosts each (h0 routes to clusters, h1 only redirects) and two listeners, changed by
/// numbered mutations. Variant 3 of anything is "poisoned": the model Envoy
/// rejects it (<see cref="IsPoisoned"/>). Every snapshot built from it is consistent: routes keep only
/// clusters that exist, and a listener whose route configuration is gone is left out.
/// </summary>
internal sealed class ModelConfig
{
    public const int Poison = 3;
    private const int PoisonPort = 13;

    private readonly SortedDictionary<string, (bool Eds, int Variant, int Endpoints)> _clusters = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (int Clusters, int Variant, int Other)> _routes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (string Route, int Variant)> _listeners = new(StringComparer.Ordinal);

    /// <summary>c0 (EDS) and c1 (static), r0 over both, listener l0 over r0.</summary>
    public static ModelConfig Initial()
    {
        var config = new ModelConfig();
        config._clusters["c0"] = (true, 0, 0);
        config._clusters["c1"] = (false, 0, 0);
        config._routes["r0"] = (0b11, 0, 0);
        config._listeners["l0"] = ("r0", 0);
        return config;
    }

    /// <summary>Whether the model Envoy rejects this resource.</summary>
    public static bool IsPoisoned(IMessage message) => message switch
    {
        Cluster c => c.ConnectTimeout?.Nanos == PoisonPort * 1_000_000,
        ClusterLoadAssignment a => a.Endpoints.SelectMany(e => e.LbEndpoints).Any(e => e.Endpoint.Address.SocketAddress.PortValue == PoisonPort),
        RouteConfiguration r => r.VirtualHosts.Any(v => v.Routes.Any(x => x.Match.Prefix == $"/variant/{Poison}")),
        Listener l => l.Address.SocketAddress.PortValue == PoisonPort,
        _ => false,
    };

    /// <summary>Applies mutation <paramref name="op"/> (0-7) with argument <paramref name="arg"/>; returns what it did.</summary>
    public string Mutate(int op, int arg)
    {
        var cluster = $"c{arg % 4}";
        var route = $"r{arg % 2}";
        var listener = $"l{arg % 2}";
        switch (op % 8)
        {
            case 0:
                _clusters[cluster] = ((arg / 4) % 3 != 0, (arg / 12) % 4, _clusters.GetValueOrDefault(cluster).Endpoints);
                return $"cluster {cluster} = {_clusters[cluster]}";
            case 1 when _clusters.TryGetValue(cluster, out var existing):
                _clusters[cluster] = existing with { Endpoints = (arg / 4) % 4 };
                return $"endpoints {cluster} = {(arg / 4) % 4}";
            case 2:
                _clusters.Remove(cluster);
                return $"remove {cluster}";
            case 3:
                _routes[route] = ((arg / 2) % 16, (arg / 32) % 4, _routes.GetValueOrDefault(route).Other);
                return $"route {route} = {_routes[route]}";
            case 4:
                _routes.Remove(route);
                return $"remove {route}";
            case 5:
                _listeners[listener] = ($"r{(arg / 2) % 2}", (arg / 4) % 4);
                return $"listener {listener} = {_listeners[listener]}";
            case 6:
                _listeners.Remove(listener);
                return $"remove {listener}";
            default:
                if (_routes.TryGetValue(route, out var r))
                {
                    // A weight-like change of the other virtual host: a new, healthy variant.
                    _routes[route] = r with { Other = (r.Other + 1) % Poison };
                }

                return $"touch {route}";
        }
    }

    private static Route Redirect(string prefix) =>
        new() { Match = new RouteMatch { Prefix = prefix }, Redirect = new RedirectAction { PathRedirect = "/" } };

    public Snapshot Build(long version, Snapshot? previous)
    {
        var clusters = new List<IMessage>();
        var endpoints = new List<IMessage>();
        foreach (var (name, (eds, variant, ports)) in _clusters)
        {
            var timeoutMs = variant == Poison ? PoisonPort : 1000 + variant;
            var port = ports == Poison ? PoisonPort : 8000 + ports;
            if (eds)
            {
                clusters.Add(Xds.EdsCluster(name, connectTimeoutMs: timeoutMs));
                endpoints.Add(Xds.Assignment(name, port));
            }
            else
            {
                var cluster = Xds.StaticCluster(name);
                cluster.ConnectTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(timeoutMs));
                clusters.Add(cluster);
            }
        }

        var routes = new List<IMessage>();
        foreach (var (name, (mask, variant, other)) in _routes)
        {
            var targets = Enumerable.Range(0, 4).Where(i => (mask & (1 << i)) != 0).Select(i => $"c{i}").Where(_clusters.ContainsKey).ToArray();
            var routeConfiguration = Xds.Routes(name, targets);
            var h0 = routeConfiguration.VirtualHosts[0];
            h0.Name = "h0";
            h0.Routes.Add(Redirect($"/variant/{variant}"));
            routeConfiguration.VirtualHosts.Add(new VirtualHost { Name = "h1", Domains = { $"h1.{name}" }, Routes = { Redirect($"/other/{other}") } });
            routes.Add(routeConfiguration);
        }

        var listeners = _listeners
            .Where(l => _routes.ContainsKey(l.Value.Route))
            .Select(l => (IMessage)Xds.Listener(l.Key, l.Value.Route, l.Value.Variant == Poison ? PoisonPort : (uint)(10000 + l.Value.Variant)))
            .ToList();
        var snapshot = Snapshot.Create(version, new TranslatedResources(clusters, endpoints, listeners, routes).ByType(), previous);
        snapshot.CheckConsistency().Should().BeEmpty("the model builds consistent snapshots only");
        return snapshot;
    }
}
