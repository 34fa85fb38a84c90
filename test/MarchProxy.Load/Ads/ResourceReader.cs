using System.Globalization;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.Load.Ads;

/// <summary>
/// Decodes xDS resources as Envoy would (every resource is parsed, so a malformed one is a NACK) and
/// extracts what a client follows: the EDS name of an EDS cluster, the RDS names of a listener, and
/// the weights of the probe route.
/// </summary>
internal static class ResourceReader
{
    /// <summary>The ClusterLoadAssignment name of an EDS cluster, or null for any other kind.</summary>
    public static (string Name, string? EdsName) ReadCluster(Any any)
    {
        var cluster = Unpack<Cluster>(any, TypeUrls.Cluster);
        var eds = cluster.ClusterDiscoveryTypeCase == Cluster.ClusterDiscoveryTypeOneofCase.Type && cluster.Type == Cluster.Types.DiscoveryType.Eds
            ? string.IsNullOrEmpty(cluster.EdsClusterConfig?.ServiceName) ? cluster.Name : cluster.EdsClusterConfig.ServiceName
            : null;
        return (cluster.Name, eds);
    }

    public static string ReadEndpoints(Any any) => Unpack<ClusterLoadAssignment>(any, TypeUrls.Endpoint).ClusterName;

    /// <summary>The route configuration names the listener's connection managers load over RDS.</summary>
    public static (string Name, IReadOnlyList<string> RdsNames) ReadListener(Any any)
    {
        var listener = Unpack<Listener>(any, TypeUrls.Listener);
        var names = new List<string>();
        foreach (var filter in listener.FilterChains.SelectMany(c => c.Filters))
        {
            if (filter.TypedConfig is { TypeUrl: TypeUrls.ConnectionManager } config
                && Unpack<HttpConnectionManager>(config, TypeUrls.ConnectionManager) is { RouteSpecifierCase: HttpConnectionManager.RouteSpecifierOneofCase.Rds } hcm)
            {
                names.Add(hcm.Rds.RouteConfigName);
            }
        }

        return (listener.Name, names);
    }

    /// <summary>The route configuration's name and, when it holds the probe route, its weights as a key.</summary>
    public static (string Name, string? ProbeKey) ReadRoutes(Any any, string probeBlue, string probeGreen)
    {
        var routes = Unpack<RouteConfiguration>(any, TypeUrls.Route);
        foreach (var host in routes.VirtualHosts)
        {
            foreach (var route in host.Routes)
            {
                if (route.Route_?.WeightedClusters is not { } weighted)
                {
                    continue;
                }

                uint? blue = null;
                uint? green = null;
                foreach (var cluster in weighted.Clusters)
                {
                    if (cluster.Name == probeBlue)
                    {
                        blue = cluster.Weight ?? 0;
                    }
                    else if (cluster.Name == probeGreen)
                    {
                        green = cluster.Weight ?? 0;
                    }
                }

                if (blue is { } b && green is { } g)
                {
                    return (routes.Name, ProbeKey(b, g));
                }
            }
        }

        return (routes.Name, null);
    }

    /// <summary>How a probe weight pair is named in the tracker.</summary>
    public static string ProbeKey(uint blue, uint green) =>
        string.Create(CultureInfo.InvariantCulture, $"{blue}/{green}");

    private static T Unpack<T>(Any any, string typeUrl)
        where T : IMessage, new()
    {
        if (any.TypeUrl != typeUrl)
        {
            throw new InvalidDataException($"a {any.TypeUrl} in a {typeUrl} response");
        }

        try
        {
            return any.Unpack<T>();
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"{typeUrl} does not decode: {ex.Message}", ex);
        }
    }
}
