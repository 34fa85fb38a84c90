using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.Testing.Ads;

namespace MarchProxy.FakeEnvoy;

/// <summary>Decodes xDS resources into Envoy's typed messages and finds what they reference (CDS→EDS, LDS→RDS).</summary>
internal static class XdsResources
{
    public const string ClusterType = TypeUrls.Cluster;
    public const string EndpointType = TypeUrls.Endpoint;
    public const string ListenerType = TypeUrls.Listener;
    public const string RouteType = TypeUrls.Route;
    public const string HcmType = TypeUrls.ConnectionManager;

    /// <summary>Short names used in stats and in /fake/xds.</summary>
    public static string ShortName(string typeUrl) => typeUrl switch
    {
        ClusterType => "cds",
        EndpointType => "eds",
        ListenerType => "lds",
        RouteType => "rds",
        _ => typeUrl,
    };

    /// <summary>Unpacks <paramref name="any"/> as <paramref name="typeUrl"/>; throws <see cref="InvalidDataException"/> when it is something else or does not decode.</summary>
    public static (string Name, IMessage Message) Decode(string typeUrl, Any any)
    {
        if (any.TypeUrl != typeUrl)
        {
            throw new InvalidDataException($"resource of type {any.TypeUrl} in a {typeUrl} response");
        }

        try
        {
            return typeUrl switch
            {
                ClusterType => Named(any.Unpack<Cluster>(), c => c.Name),
                EndpointType => Named(any.Unpack<ClusterLoadAssignment>(), c => c.ClusterName),
                ListenerType => CheckListener(any.Unpack<Listener>()),
                RouteType => Named(any.Unpack<RouteConfiguration>(), r => r.Name),
                _ => throw new InvalidDataException($"unsupported type {typeUrl}"),
            };
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"{typeUrl} does not decode: {ex.Message}", ex);
        }
    }

    /// <summary>The ClusterLoadAssignment names that EDS clusters need (service_name, else the cluster name).</summary>
    public static IEnumerable<string> EdsNames(IEnumerable<IMessage> clusters) =>
        clusters.OfType<Cluster>()
            .Where(c => c.ClusterDiscoveryTypeCase == Cluster.ClusterDiscoveryTypeOneofCase.Type && c.Type == Cluster.Types.DiscoveryType.Eds)
            .Select(c => string.IsNullOrEmpty(c.EdsClusterConfig?.ServiceName) ? c.Name : c.EdsClusterConfig.ServiceName);

    /// <summary>The RouteConfiguration names that the listeners' HttpConnectionManagers ask for through RDS.</summary>
    public static IEnumerable<string> RdsNames(IEnumerable<IMessage> listeners) =>
        listeners.OfType<Listener>().SelectMany(ConnectionManagers)
            .Where(h => h.RouteSpecifierCase == HttpConnectionManager.RouteSpecifierOneofCase.Rds)
            .Select(h => h.Rds.RouteConfigName);

    private static (string, IMessage) CheckListener(Listener listener)
    {
        // Decoding every HCM here makes a broken filter config a NACK, as in Envoy.
        _ = ConnectionManagers(listener).ToList();
        return (listener.Name, listener);
    }

    private static IEnumerable<HttpConnectionManager> ConnectionManagers(Listener listener)
    {
        foreach (var filter in listener.FilterChains.SelectMany(chain => chain.Filters))
        {
            if (filter.TypedConfig is { TypeUrl: HcmType } config)
            {
                yield return config.Unpack<HttpConnectionManager>();
            }
        }

        if (listener.ApiListener?.ApiListener_ is { TypeUrl: HcmType } api)
        {
            yield return api.Unpack<HttpConnectionManager>();
        }
    }

    private static (string, IMessage) Named<T>(T message, Func<T, string> name)
        where T : IMessage => (name(message), message);
}
