using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Infrastructure;

/// <summary>Small builders of valid API requests.</summary>
public static class Requests
{
    public static ClusterConfig Cluster(string name, uint port = 8081, string address = "10.0.0.1") => new()
    {
        Name = name,
        Endpoints = { new Endpoint { Address = address, Port = port, Weight = 1 } },
    };

    public static RouteConfig Route(string name, string cluster, string prefix = "/") => new()
    {
        Name = name,
        Prefix = prefix,
        ClusterName = cluster,
        Enabled = true,
    };

    public static UpsertClusterRequest UpsertCluster(string name, uint port = 8081) => new() { Cluster = Cluster(name, port) };

    public static UpsertRouteRequest UpsertRoute(string name, string cluster, string prefix = "/") => new() { Route = Route(name, cluster, prefix) };
}
