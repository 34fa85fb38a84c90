using System.Collections;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// Serialises a <see cref="RouteConfiguration"/> reusing the bytes of the virtual hosts it shares (by
/// reference) with the previous serialisation of the same resource. A protobuf message is the
/// concatenation of its field encodings, so the bytes are: the fields numbered below
/// <c>virtual_hosts</c> (2), then one <c>tag, length, bytes</c> per virtual host, then the fields
/// numbered above it. Google.Protobuf writes fields in number order, so the result is byte-for-byte what
/// <see cref="MessageExtensions.ToByteArray"/> gives, and the content hash does not change. The clusters
/// each virtual host routes to are kept and reused the same way.
/// </summary>
/// <remarks>
/// The other fields are copied shallowly (the shared message is never mutated) through the descriptor,
/// so fields added to the proto later are carried without a change here. Unknown fields of the
/// RouteConfiguration itself are not carried; the translators never produce any. The referenced clusters
/// are the union over the virtual hosts, in virtual host order: the same set as
/// <see cref="ResourceReferences.Of"/>, and the same order unless a virtual host has mirror policies.
/// </remarks>
internal static class RouteConfigurationEncoder
{
    /// <summary>
    /// Encodes <paramref name="config"/>. <paramref name="prior"/> is the previous serialisation of a
    /// resource (any resource); what it kept of its virtual hosts is reused for the same instances.
    /// </summary>
    public static EncodedRouteConfiguration Encode(RouteConfiguration config, CachedResource? prior)
    {
        var hosts = config.VirtualHosts;
        var reusable = ReusableEncodings(prior);
        var encodings = new VirtualHostEncoding[hosts.Count];
        var serialised = 0;
        for (var i = 0; i < hosts.Count; i++)
        {
            if (reusable is not null && reusable.TryGetValue(hosts[i], out var cached))
            {
                encodings[i] = cached;
            }
            else
            {
                var references = ResourceReferences.Of(new RouteConfiguration { VirtualHosts = { hosts[i] } });
                encodings[i] = new VirtualHostEncoding(hosts[i].ToByteArray(), references.Clusters);
                serialised++;
            }
        }

        var shell = ShellBytes(config);
        var split = SplitAfterVirtualHosts(shell);

        // Every byte is written below, so the array need not be zeroed first.
        var bytes = GC.AllocateUninitializedArray<byte>(shell.Length + VirtualHostSlices.EncodedLength(encodings));
        shell.AsSpan(0, split).CopyTo(bytes);
        var position = VirtualHostSlices.WriteHosts(encodings, bytes, split, encodings);
        shell.AsSpan(split).CopyTo(bytes.AsSpan(position));
        var clusters = ClustersOfPrior(prior, encodings) ?? VirtualHostSlices.ClusterUnion(encodings);
        return new EncodedRouteConfiguration(bytes, encodings, new ResourceReferences([], clusters, null), serialised);
    }

    /// <summary>
    /// The prior's cluster union when each virtual host, position by position, routes to the same
    /// clusters as the prior's did (a weight change does not change them); otherwise null. The union
    /// depends on nothing else, so it is the same list.
    /// </summary>
    private static IReadOnlyList<string>? ClustersOfPrior(CachedResource? prior, VirtualHostEncoding[] encodings)
    {
        if (prior is not { VirtualHosts: { } kept } || kept.Count != encodings.Length)
        {
            return null;
        }

        for (var i = 0; i < encodings.Length; i++)
        {
            if (!ReferenceEquals(kept[i].Clusters, encodings[i].Clusters)
                && !kept[i].Clusters.SequenceEqual(encodings[i].Clusters, StringComparer.Ordinal))
            {
                return null;
            }
        }

        return prior.References.Clusters;
    }


    private static Dictionary<VirtualHost, VirtualHostEncoding>? ReusableEncodings(CachedResource? prior)
    {
        if (prior is not { Message: RouteConfiguration previous, VirtualHosts: { } kept })
        {
            return null;
        }

        var reusable = new Dictionary<VirtualHost, VirtualHostEncoding>(kept.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < kept.Count; i++)
        {
            reusable.TryAdd(previous.VirtualHosts[i], kept[i]);
        }

        return reusable;
    }

    /// <summary>The encoding of <paramref name="config"/> without its virtual hosts, from a shallow copy.</summary>
    private static byte[] ShellBytes(RouteConfiguration config)
    {
        var shell = new RouteConfiguration();
        foreach (var field in RouteConfiguration.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldNumber == RouteConfiguration.VirtualHostsFieldNumber)
            {
                continue;
            }

            CopyField(field, config, shell);
        }

        return shell.ToByteArray();
    }

    private static void CopyField(FieldDescriptor field, RouteConfiguration from, RouteConfiguration to)
    {
        var accessor = field.Accessor;
        if (field.IsMap)
        {
            var target = (IDictionary)accessor.GetValue(to);
            foreach (DictionaryEntry entry in (IDictionary)accessor.GetValue(from))
            {
                target.Add(entry.Key, entry.Value);
            }
        }
        else if (field.IsRepeated)
        {
            var target = (IList)accessor.GetValue(to);
            foreach (var item in (IList)accessor.GetValue(from))
            {
                target.Add(item);
            }
        }
        else if (field.FieldType != FieldType.Message || accessor.GetValue(from) is not null)
        {
            accessor.SetValue(to, accessor.GetValue(from));
        }
    }

    /// <summary>The offset of the first field numbered above virtual_hosts (the length when none is).</summary>
    private static int SplitAfterVirtualHosts(byte[] shell)
    {
        var input = new CodedInputStream(shell);
        while (true)
        {
            var start = (int)input.Position;
            var tag = input.ReadTag();
            if (tag == 0)
            {
                return shell.Length;
            }

            if (WireFormat.GetTagFieldNumber(tag) > RouteConfiguration.VirtualHostsFieldNumber)
            {
                return start;
            }

            input.SkipLastField();
        }
    }
}
