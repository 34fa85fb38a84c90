namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// A virtual host of route configuration <paramref name="RouteConfiguration"/> that one stream does
/// not get in its current content, because the node rejected a response carrying that content (at
/// config version <paramref name="RejectedAt"/>). It gets the content it last ACKed instead (or none),
/// until the host changes.
/// </summary>
public sealed record HeldBackHost(string RouteConfiguration, string VirtualHost, IReadOnlyList<string> Domains, long RejectedAt)
{
    public override string ToString() =>
        $"{RouteConfiguration}/{VirtualHost} [{string.Join(", ", Domains)}] (rejected at version {RejectedAt})";
}
