using System.Text;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// Reads the virtual hosts of an encoded RouteConfiguration as slices of its bytes, and builds a
/// RouteConfiguration from another one's bytes with some virtual hosts replaced, without serialising
/// anything again: a protobuf message is the concatenation of its field encodings, so the result is
/// the original's fields with the <c>virtual_hosts</c> entries swapped.
/// </summary>
internal static class VirtualHostSlices
{
    private const int VirtualHostsField = RouteConfiguration.VirtualHostsFieldNumber;
    private const byte VirtualHostsTag = (VirtualHostsField << 3) | 2;

    /// <summary>The virtual hosts of <paramref name="resource"/>, kept when it was encoded or read from its bytes.</summary>
    public static IReadOnlyList<VirtualHostEncoding> Of(CachedResource resource)
    {
        if (resource.VirtualHosts is { } kept)
        {
            return kept;
        }

        var bytes = resource.Resource.Value.Memory;
        var hosts = new List<VirtualHostEncoding>();
        foreach (var field in Fields(bytes.Span))
        {
            if (field.Number == VirtualHostsField)
            {
                var slice = bytes[field.ValueStart..field.End];
                var references = ResourceReferences.Of(new RouteConfiguration { VirtualHosts = { VirtualHost.Parser.ParseFrom(slice.Span) } });
                hosts.Add(new VirtualHostEncoding(slice, references.Clusters));
            }
        }

        return hosts;
    }

    /// <summary>The name (field 1) of an encoded VirtualHost.</summary>
    public static string NameOf(ReadOnlySpan<byte> virtualHost)
    {
        foreach (var field in Fields(virtualHost))
        {
            if (field.Number == VirtualHost.NameFieldNumber)
            {
                return Encoding.UTF8.GetString(virtualHost[field.ValueStart..field.End]);
            }
        }

        return string.Empty;
    }

    /// <summary>The domains (field 2) of an encoded VirtualHost.</summary>
    public static IReadOnlyList<string> DomainsOf(ReadOnlySpan<byte> virtualHost)
    {
        var domains = new List<string>();
        foreach (var field in Fields(virtualHost))
        {
            if (field.Number == VirtualHost.DomainsFieldNumber)
            {
                domains.Add(Encoding.UTF8.GetString(virtualHost[field.ValueStart..field.End]));
            }
        }

        return domains;
    }

    /// <summary>
    /// <paramref name="original"/> with its virtual hosts replaced by <paramref name="hosts"/> (encodings
    /// of VirtualHost messages, in order): a new resource of the same name, versioned by the hash of its
    /// bytes, referring to the clusters of those hosts.
    /// </summary>
    public static CachedResource Compose(CachedResource original, IReadOnlyList<VirtualHostEncoding> hosts)
    {
        var source = original.Resource.Value.Span;
        var fields = Fields(source);
        var length = 0;
        foreach (var field in fields)
        {
            length += field.Number == VirtualHostsField ? 0 : field.End - field.Start;
        }

        length += EncodedLength(hosts);
        var bytes = new byte[length];
        var encodings = new VirtualHostEncoding[hosts.Count];
        var position = 0;
        var hostsWritten = false;
        foreach (var field in fields)
        {
            if (field.Number != VirtualHostsField)
            {
                source[field.Start..field.End].CopyTo(bytes.AsSpan(position));
                position += field.End - field.Start;
            }
            else if (!hostsWritten)
            {
                position = WriteHosts(hosts, bytes, position, encodings);
                hostsWritten = true;
            }
        }

        if (!hostsWritten)
        {
            // Only a host the original carries is ever replaced.
            throw new InvalidOperationException($"Route configuration '{original.Name}' has no virtual host to replace.");
        }

        var clusters = ClusterUnion(encodings);
        var value = UnsafeByteOperations.UnsafeWrap(bytes);
        return new CachedResource(
            original.Name,
            ContentVersion.Of(bytes),
            () => RouteConfiguration.Parser.ParseFrom(bytes),
            new Any { TypeUrl = original.Resource.TypeUrl, Value = value },
            new ResourceReferences([], clusters, null),
            encodings);
    }

    /// <summary>The clusters the virtual hosts route to, each once, in virtual host order.</summary>
    public static string[] ClusterUnion(IReadOnlyList<VirtualHostEncoding> encodings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var union = new List<string>();
        foreach (var encoding in encodings)
        {
            foreach (var cluster in encoding.Clusters)
            {
                if (seen.Add(cluster))
                {
                    union.Add(cluster);
                }
            }
        }

        return [.. union];
    }

    /// <summary>The bytes <see cref="WriteHosts"/> writes for <paramref name="hosts"/>: tag, length and encoding each.</summary>
    public static int EncodedLength(IReadOnlyList<VirtualHostEncoding> hosts)
    {
        var length = 0;
        foreach (var host in hosts)
        {
            length += 1 + CodedOutputStream.ComputeLengthSize(host.Bytes.Length) + host.Bytes.Length;
        }

        return length;
    }

    /// <summary>
    /// Writes <paramref name="hosts"/> as <c>virtual_hosts</c> entries into <paramref name="bytes"/> at
    /// <paramref name="position"/>; each entry of <paramref name="encodings"/> becomes the host's slice of
    /// <paramref name="bytes"/>. Returns the position after the last one.
    /// </summary>
    public static int WriteHosts(IReadOnlyList<VirtualHostEncoding> hosts, byte[] bytes, int position, VirtualHostEncoding[] encodings)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            var size = hosts[i].Bytes.Length;
            bytes[position++] = VirtualHostsTag;
            position += WriteVarint(bytes.AsSpan(position), (uint)size);
            hosts[i].Bytes.Span.CopyTo(bytes.AsSpan(position));
            encodings[i] = hosts[i] with { Bytes = bytes.AsMemory(position, size) };
            position += size;
        }

        return position;
    }

    private static int WriteVarint(Span<byte> destination, uint value)
    {
        var written = 0;
        while (value >= 0x80)
        {
            destination[written++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[written++] = (byte)value;
        return written;
    }

    /// <summary>The top-level fields of an encoded message: number, where the field starts, where its value starts and where it ends.</summary>
    private static List<(int Number, int Start, int ValueStart, int End)> Fields(ReadOnlySpan<byte> bytes)
    {
        var fields = new List<(int, int, int, int)>();
        var position = 0;
        while (position < bytes.Length)
        {
            var start = position;
            var tag = ReadVarint(bytes, ref position);
            var number = (int)(tag >> 3);
            int valueStart;
            switch ((int)(tag & 7))
            {
                case 0:
                    valueStart = position;
                    ReadVarint(bytes, ref position);
                    break;
                case 1:
                    valueStart = position;
                    position += 8;
                    break;
                case 2:
                    var size = (int)ReadVarint(bytes, ref position);
                    valueStart = position;
                    position += size;
                    break;
                case 5:
                    valueStart = position;
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported wire type in tag {tag}.");
            }

            if (position > bytes.Length)
            {
                throw new InvalidDataException("A field runs past the end of the message.");
            }

            fields.Add((number, start, valueStart, position));
        }

        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length)
            {
                throw new InvalidDataException("A varint runs past the end of the message.");
            }

            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A varint is longer than ten bytes.");
    }
}
