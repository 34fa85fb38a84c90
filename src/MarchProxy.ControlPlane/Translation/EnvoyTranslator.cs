using System.Collections.Immutable;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// Translates the desired state into the resources every Envoy node gets: one Listener per model
/// listener (or one default listener), all loading the one RouteConfiguration
/// <see cref="TranslationOptions.RouteConfigurationName"/> over RDS; that RouteConfiguration with
/// one virtual host per route host (see <see cref="RouteTable"/>); one Cluster per model cluster
/// (EDS for IP endpoints, STRICT_DNS for hostnames); and a ClusterLoadAssignment per EDS cluster.
/// </summary>
/// <remarks>
/// Incremental and therefore stateful: what was built from a spec reference is reused while the
/// reference stays the same, so a weight change on one route rebuilds one Route, the virtual hosts
/// it is in and the RouteConfiguration container, and returns the same Cluster, ClusterLoadAssignment
/// and Listener instances as before. Not thread-safe: callers serialise calls.
/// </remarks>
public sealed class EnvoyTranslator : IResourceTranslator
{
    private readonly TranslationOptions _options;
    private readonly ILogger<EnvoyTranslator> _logger;
    private readonly RouteTable _routes = new(RouteBuilder.ForEnvoy);
    private readonly ClusterTable _clusters = new(ClusterBuilder.ForEnvoy);
    private readonly SpecCache<ListenerSpec, Listener> _listeners;
    private readonly ListenerSpec _defaultListener;

    private ImmutableSortedDictionary<string, ListenerSpec>? _lastListeners;
    private IReadOnlyList<IMessage> _listenerMessages = [];
    private RouteConfiguration? _routeConfiguration;
    private IReadOnlyList<IMessage> _routeMessages = [];

    public EnvoyTranslator(IOptions<TranslationOptions> options, ILogger<EnvoyTranslator> logger)
    {
        _options = options.Value;
        _logger = logger;
        _listeners = new(spec => ListenerBuilder.ForEnvoy(spec, _options.RouteConfigurationName, _options.AccessLogToStdout));
        _defaultListener = new ListenerSpec
        {
            Name = _options.DefaultListenerName,
            Address = _options.DefaultListenerAddress,
            Port = _options.DefaultListenerPort,
        };
    }

    public NodeKind Kind => NodeKind.Envoy;

    public TranslatedResources Translate(DesiredState state)
    {
        var clustersBuilt = _clusters.Update(state.Clusters);
        var listenersBuilt = UpdateListeners(state.Listeners);
        if (_routes.Update(state.Routes) || _routeConfiguration is null)
        {
            UpdateRouteConfiguration();
        }

        TranslationLog.Translated(_logger, state.Version, Kind, clustersBuilt, listenersBuilt, _routes.RoutesBuilt, _routes.VirtualHostsBuilt);
        return new TranslatedResources(_clusters.Clusters, _clusters.Endpoints, _listenerMessages, _routeMessages);
    }

    private int UpdateListeners(ImmutableSortedDictionary<string, ListenerSpec> listeners)
    {
        if (ReferenceEquals(listeners, _lastListeners))
        {
            return 0;
        }

        _lastListeners = listeners;
        _listeners.BeginPass();
        var messages = new List<IMessage>(Math.Max(1, listeners.Count));
        if (listeners.IsEmpty)
        {
            messages.Add(_listeners.Get(_defaultListener.Name, _defaultListener));
        }

        foreach (var (name, spec) in listeners)
        {
            messages.Add(_listeners.Get(name, spec));
        }

        _listeners.EndPass();
        _listenerMessages = messages;
        return _listeners.Built;
    }

    private void UpdateRouteConfiguration()
    {
        var virtualHosts = new List<VirtualHost>(_routes.Domains.Count + 1);
        foreach (var domain in _routes.Domains)
        {
            virtualHosts.Add(_routes.GetVirtualHost(domain));
        }

        if (_routes.AnyHostVirtualHost is { } anyHost)
        {
            virtualHosts.Add(anyHost);
        }

        if (_routeConfiguration is not null && virtualHosts.SequenceEqual(_routeConfiguration.VirtualHosts, ReferenceEqualityComparer.Instance))
        {
            return;
        }

        _routeConfiguration = new RouteConfiguration { Name = _options.RouteConfigurationName, VirtualHosts = { virtualHosts } };
        _routeMessages = [_routeConfiguration];
    }
}
