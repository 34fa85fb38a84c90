using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// What a stream believes its client holds for one resource name: the version (null when the client
/// has been told the resource does not exist) and, when we sent it, the resource itself.
/// </summary>
internal readonly record struct ViewEntry(string? Version, CachedResource? Sent);
