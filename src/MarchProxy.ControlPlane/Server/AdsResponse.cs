using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// One response the state machine decided to send, before encoding: the resources to put in it, the
/// names to list as removed (delta), the type's version (state of the world's version_info) and the
/// snapshot it was built from.
/// </summary>
internal sealed record AdsResponse(
    string TypeUrl,
    string Nonce,
    Snapshot Snapshot,
    string TypeVersion,
    IReadOnlyList<CachedResource> Resources,
    IReadOnlyList<string> Removed);
