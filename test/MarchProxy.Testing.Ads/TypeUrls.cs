namespace MarchProxy.Testing.Ads;

/// <summary>The four xDS resource types an Envoy subscribes to over ADS, and the HCM a listener embeds.</summary>
public static class TypeUrls
{
    public const string Cluster = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public const string Endpoint = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public const string Listener = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public const string Route = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public const string ConnectionManager = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

    /// <summary>The type whose names <paramref name="typeUrl"/>'s resources reference, as Envoy follows them (CDS → EDS, LDS → RDS); null for the others.</summary>
    public static string? FollowedBy(string typeUrl) => typeUrl switch
    {
        Cluster => Endpoint,
        Listener => Route,
        _ => null,
    };
}
