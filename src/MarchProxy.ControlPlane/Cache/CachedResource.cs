using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// One resource of a snapshot, serialised once. <see cref="Resource"/> (type URL and bytes) is shared
/// by every response on every stream, and must never be mutated.
/// </summary>
public sealed class CachedResource
{
    private readonly Func<IMessage>? _parse;
    private IMessage? _message;

    internal CachedResource(
        string name,
        string version,
        IMessage message,
        Any resource,
        ResourceReferences references,
        IReadOnlyList<VirtualHostEncoding>? virtualHosts = null)
    {
        Name = name;
        Version = version;
        _message = message;
        Resource = resource;
        References = references;
        VirtualHosts = virtualHosts;
    }

    /// <summary>
    /// A resource composed from bytes (see <see cref="VirtualHostSlices"/>): its message is parsed only
    /// if something reads it, since sending needs only the bytes.
    /// </summary>
    internal CachedResource(
        string name,
        string version,
        Func<IMessage> parse,
        Any resource,
        ResourceReferences references,
        IReadOnlyList<VirtualHostEncoding>? virtualHosts)
    {
        Name = name;
        Version = version;
        _parse = parse;
        Resource = resource;
        References = references;
        VirtualHosts = virtualHosts;
    }

    /// <summary>The resource name (ClusterLoadAssignment: its cluster_name).</summary>
    public string Name { get; }

    /// <summary>A content hash of the serialised bytes: the per-resource version of delta xDS.</summary>
    public string Version { get; }

    /// <summary>The message this was built from; read-only by contract.</summary>
    // Parsing twice in a race gives equal messages, so no lock is needed.
    public IMessage Message => _message ??= _parse!();

    /// <summary>The pre-built Any that every response shares.</summary>
    public Any Resource { get; }

    /// <summary>For an EDS cluster, the name of the ClusterLoadAssignment it needs; otherwise null.</summary>
    public string? EdsName => References.EdsName;

    /// <summary>What this resource points at, extracted once when it was serialised.</summary>
    internal ResourceReferences References { get; }

    /// <summary>
    /// For a RouteConfiguration, what is kept of each of its virtual hosts, in order (encodings are slices
    /// of the bytes of <see cref="Resource"/>); the next snapshot reuses them for the same instances.
    /// Null for other types, and when the resource was serialised whole.
    /// </summary>
    internal IReadOnlyList<VirtualHostEncoding>? VirtualHosts { get; }
}
