using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using MarchProxy.ControlPlane.Translation;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

/// <summary>A mutable bag of Envoy resources by type and name, turned into <see cref="TranslatedResources"/>.</summary>
internal sealed class XdsModel
{
    private readonly SortedDictionary<string, IMessage> _clusters = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, IMessage> _endpoints = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, IMessage> _listeners = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, IMessage> _routes = new(StringComparer.Ordinal);

    /// <summary>EDS cluster "a" with its assignment, listener "l" over RDS "r", and "r" routing to "a".</summary>
    public static XdsModel Basic() => new XdsModel()
        .Set(Xds.EdsCluster("a"))
        .Set(Xds.Assignment("a", 8001))
        .Set(Xds.Listener("l", "r"))
        .Set(Xds.Routes("r", "a"));

    /// <summary>The same for proxyless gRPC: the listener is an api_listener.</summary>
    public static XdsModel BasicGrpc() => new XdsModel()
        .Set(Xds.EdsCluster("a"))
        .Set(Xds.Assignment("a", 8001))
        .Set(Xds.ApiListener("l", "r"))
        .Set(Xds.Routes("r", "a"));

    public XdsModel Set(IMessage message)
    {
        switch (message)
        {
            case Cluster c:
                _clusters[c.Name] = c;
                break;
            case ClusterLoadAssignment cla:
                _endpoints[cla.ClusterName] = cla;
                break;
            case Listener l:
                _listeners[l.Name] = l;
                break;
            case RouteConfiguration r:
                _routes[r.Name] = r;
                break;
            default:
                throw new ArgumentException($"not a served type: {message.Descriptor.FullName}", nameof(message));
        }

        return this;
    }

    public XdsModel RemoveCluster(string name)
    {
        _clusters.Remove(name);
        _endpoints.Remove(name);
        return this;
    }

    public XdsModel RemoveListener(string name)
    {
        _listeners.Remove(name);
        return this;
    }

    public XdsModel RemoveRoutes(string name)
    {
        _routes.Remove(name);
        return this;
    }

    public TranslatedResources ToResources() => new(
        [.. _clusters.Values],
        [.. _endpoints.Values],
        [.. _listeners.Values],
        [.. _routes.Values]);
}
