namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The xDS resource types this control plane serves, by type URL, and the order in which they are
/// pushed when several change at once (make-before-break: CDS, EDS, LDS, RDS).
/// </summary>
public static class ResourceTypes
{
    public const string Cluster = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    public const string Endpoint = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    public const string Listener = "type.googleapis.com/envoy.config.listener.v3.Listener";

    public const string Route = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    /// <summary>Additions and updates go out in this order; removals go out in the reverse order.</summary>
    public static IReadOnlyList<string> PushOrder { get; } = [Cluster, Endpoint, Listener, Route];

    public static bool IsKnown(string typeUrl) => IndexOf(typeUrl) >= 0;

    /// <summary>
    /// LDS and CDS are "full state" in state-of-the-world xDS: every response carries every resource
    /// the client subscribes to, and a missing one means deleted. RDS and EDS carry named resources only.
    /// </summary>
    public static bool IsFullState(string typeUrl) => typeUrl is Cluster or Listener;

    /// <summary>The position of a type in <see cref="PushOrder"/>, or -1 for a type we do not serve.</summary>
    public static int IndexOf(string typeUrl) => typeUrl switch
    {
        Cluster => 0,
        Endpoint => 1,
        Listener => 2,
        Route => 3,
        _ => -1,
    };

    /// <summary>A short name for logs and metrics: CDS, EDS, LDS, RDS (or the type URL itself).</summary>
    public static string ShortName(string typeUrl) => typeUrl switch
    {
        Cluster => "CDS",
        Endpoint => "EDS",
        Listener => "LDS",
        Route => "RDS",
        _ => typeUrl,
    };
}
