using System.Text;
using Google.Protobuf;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// The layout under the prefix: one key per route, cluster and listener (their JSON as in the file
/// store), one empty key per route and cluster the API owns, the <c>meta</c> key that every change
/// writes, and one key per live member on its lease.
/// </summary>
public sealed class EtcdKeys(string prefix)
{
    public const string Routes = "routes/";
    public const string Clusters = "clusters/";
    public const string Listeners = "listeners/";
    public const string ApiRoutes = "api/routes/";
    public const string ApiClusters = "api/clusters/";
    public const string Members = "members/";
    public const string Meta = "meta";

    /// <summary>The kinds of config keys, each a range (the members are not config).</summary>
    public static readonly string[] ConfigRanges = [Routes, Clusters, Listeners, ApiRoutes, ApiClusters];

    public string Prefix { get; } = prefix;

    public ByteString Key(string relative) => ByteString.CopyFromUtf8(Prefix + relative);

    public ByteString Key(string kind, string name) => ByteString.CopyFromUtf8(Prefix + kind + name);

    public ByteString MetaKey => Key(Meta);

    public ByteString PrefixKey => Key(string.Empty);

    public ByteString PrefixEnd => RangeEnd(Prefix);

    public ByteString RangeEnd(string relativeOrFull) =>
        RangeEndOf(Encoding.UTF8.GetBytes(relativeOrFull.StartsWith(Prefix, StringComparison.Ordinal) ? relativeOrFull : Prefix + relativeOrFull));

    /// <summary>Splits a key into its kind (e.g. <see cref="Routes"/>) and name; false for keys outside the layout.</summary>
    public bool TryParse(ByteString key, out string kind, out string name)
    {
        var text = key.ToStringUtf8();
        kind = string.Empty;
        name = string.Empty;
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var relative = text[Prefix.Length..];
        if (relative == Meta)
        {
            kind = Meta;
            return true;
        }

        foreach (var candidate in (string[])[ApiRoutes, ApiClusters, Routes, Clusters, Listeners, Members])
        {
            if (relative.StartsWith(candidate, StringComparison.Ordinal) && relative.Length > candidate.Length)
            {
                kind = candidate;
                name = relative[candidate.Length..];
                return true;
            }
        }

        return false;
    }

    /// <summary>The first key after every key that starts with <paramref name="bytes"/> (etcd's prefix range end).</summary>
    private static ByteString RangeEndOf(byte[] bytes)
    {
        var end = (byte[])bytes.Clone();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return ByteString.CopyFrom(end, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(0);
    }
}
