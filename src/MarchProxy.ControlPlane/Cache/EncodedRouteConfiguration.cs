namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// A RouteConfiguration's bytes; what is kept of each of its virtual hosts, in order (the encodings are
/// slices of <paramref name="Bytes"/>); what it references; and how many virtual hosts had to be
/// serialised rather than reused.
/// </summary>
internal sealed record EncodedRouteConfiguration(
    byte[] Bytes,
    VirtualHostEncoding[] VirtualHosts,
    ResourceReferences References,
    int VirtualHostsSerialised);
