using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// Translates the desired state into the resources proxyless gRPC clients get. For each route host
/// <c>h</c> (a client dials <c>xds:///h</c>): a Listener named <c>h</c> whose <c>api_listener</c>
/// loads the RouteConfiguration <c>h</c> over ADS, and that RouteConfiguration with one virtual host
/// for <c>h</c> (the routes for <c>h</c>, then the routes for any host). Every cluster is EDS, with
/// IP-literal endpoints only. Nothing Envoy-only is sent: no local rate limits, retry policies,
/// WebSocket upgrades, health checks, outlier detection or upstream TLS.
/// </summary>
/// <remarks>
/// Hostname endpoints are left out with a warning (EventId 1200), since gRPC clients NACK them;
/// wildcard hosts such as <c>*.example.com</c> get no listener (EventId 1202). Incremental like
/// <see cref="EnvoyTranslator"/>; not thread-safe.
/// </remarks>
public sealed class GrpcTranslator : IResourceTranslator
{
    private readonly ILogger<GrpcTranslator> _logger;
    private readonly RouteTable _routes = new(RouteBuilder.ForGrpc);
    private readonly ClusterTable _clusters;
    private readonly Dictionary<string, (VirtualHost VirtualHost, RouteConfiguration Config, Listener Listener)> _hosts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _skippedHosts = new(StringComparer.Ordinal);

    private IReadOnlyList<IMessage> _listenerMessages = [];
    private IReadOnlyList<IMessage> _routeMessages = [];

    public GrpcTranslator(ILogger<GrpcTranslator> logger)
    {
        _logger = logger;
        _clusters = new(BuildCluster);
    }

    public NodeKind Kind => NodeKind.Grpc;

    public TranslatedResources Translate(DesiredState state)
    {
        var clustersBuilt = _clusters.Update(state.Clusters);
        var listenersBuilt = _routes.Update(state.Routes) ? UpdateHosts() : 0;
        TranslationLog.Translated(_logger, state.Version, Kind, clustersBuilt, listenersBuilt, _routes.RoutesBuilt, _routes.VirtualHostsBuilt);
        return new TranslatedResources(_clusters.Clusters, _clusters.Endpoints, _listenerMessages, _routeMessages);
    }

    private ClusterResources BuildCluster(ClusterSpec spec)
    {
        var (resources, omitted) = ClusterBuilder.ForGrpc(spec);
        if (omitted.Count > 0)
        {
            TranslationLog.HostnameEndpointsOmitted(_logger, spec.Name, omitted.Count, string.Join(", ", omitted.Select(e => $"{e.Address}:{e.Port}")));
        }

        if (spec.Tls is not null)
        {
            TranslationLog.UpstreamTlsOmitted(_logger, spec.Name);
        }

        return resources;
    }

    /// <summary>Rebuilds the RouteConfiguration of each host whose virtual host changed; returns how many listeners were new.</summary>
    private int UpdateHosts()
    {
        var listeners = new List<IMessage>(_routes.Domains.Count);
        var configs = new List<IMessage>(_routes.Domains.Count);
        var current = new HashSet<string>(StringComparer.Ordinal);
        var created = 0;
        foreach (var host in _routes.Domains)
        {
            if (host.Contains('*', StringComparison.Ordinal))
            {
                if (_skippedHosts.Add(host))
                {
                    TranslationLog.WildcardHostSkipped(_logger, host);
                }

                continue;
            }

            var virtualHost = _routes.GetVirtualHost(host);
            if (!_hosts.TryGetValue(host, out var entry))
            {
                created++;
                entry = (virtualHost, NewRouteConfiguration(host, virtualHost), ListenerBuilder.ForGrpc(host));
                _hosts.Add(host, entry);
            }
            else if (!ReferenceEquals(entry.VirtualHost, virtualHost))
            {
                entry = (virtualHost, NewRouteConfiguration(host, virtualHost), entry.Listener);
                _hosts[host] = entry;
            }

            current.Add(host);
            listeners.Add(entry.Listener);
            configs.Add(entry.Config);
        }

        if (current.Count != _hosts.Count)
        {
            foreach (var gone in _hosts.Keys.Where(h => !current.Contains(h)).ToList())
            {
                _hosts.Remove(gone);
            }
        }

        _skippedHosts.IntersectWith(_routes.Domains);
        _listenerMessages = listeners;
        _routeMessages = configs;
        return created;
    }

    private static RouteConfiguration NewRouteConfiguration(string host, VirtualHost virtualHost) =>
        new() { Name = host, VirtualHosts = { virtualHost } };
}
