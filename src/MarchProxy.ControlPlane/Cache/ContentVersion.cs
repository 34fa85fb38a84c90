using System.IO.Hashing;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// A resource's version (delta xDS, and the "changed?" test of every snapshot): a hash of its
/// serialised bytes, so equal bytes mean equal versions wherever the bytes were built.
/// </summary>
internal static class ContentVersion
{
    // Not a security boundary (the content comes from the operator): XxHash128 is about ten times
    // faster than SHA-256 on a large RouteConfiguration. 64 bits are kept.
    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[16];
        XxHash128.Hash(bytes, digest);
        return Convert.ToHexStringLower(digest[..8]);
    }
}
