using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// The difference between a client's view of one type and the snapshot, for its subscription:
/// resources to add or update (in name order), removals (resources the client holds that are gone),
/// and, for delta, notices (subscribed names the client has not yet been told do not exist).
/// </summary>
internal sealed class TypeDiff
{
    public static TypeDiff Empty { get; } = new();

    public List<CachedResource> Upserts { get; } = [];

    public List<string> Removals { get; } = [];

    public List<string> Notices { get; } = [];

    public bool IsEmpty => Upserts.Count == 0 && Removals.Count == 0 && Notices.Count == 0;
}
