using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// What the client holds under one name: the version, and the resource when this stream sent it (a
/// version from initial_resource_versions comes without one). A null version means the client was
/// told the resource does not exist.
/// </summary>
internal readonly record struct HeldResource(string? Version, CachedResource? Resource)
{
    public static HeldResource Absent => default;

    public bool IsPresent => Version is not null;

    public static HeldResource Of(CachedResource resource) => new(resource.Version, resource);
}
