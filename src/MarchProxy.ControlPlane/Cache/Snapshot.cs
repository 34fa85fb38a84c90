using System.Globalization;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// An immutable, versioned set of xDS resources for one node kind. Each resource is serialised once
/// into an <see cref="Any"/> that every stream shares; each carries a content-hash version (delta) and
/// each type a version (state of the world).
/// </summary>
public sealed class Snapshot
{
    private readonly IReadOnlyList<string> _buildErrors;
    private IReadOnlyList<string>? _consistencyErrors;

    private Snapshot(long version, ResourceSet clusters, ResourceSet endpoints, ResourceSet listeners, ResourceSet routes, BuildContext context)
    {
        Version = version;
        Clusters = clusters;
        Endpoints = endpoints;
        Listeners = listeners;
        Routes = routes;
        _buildErrors = context.Errors;
        VirtualHostsSerialised = context.VirtualHostsSerialised;
    }

    /// <summary>The config version this snapshot was built from.</summary>
    public long Version { get; }

    public ResourceSet Clusters { get; }

    public ResourceSet Endpoints { get; }

    public ResourceSet Listeners { get; }

    public ResourceSet Routes { get; }

    /// <summary>The total number of resources, all types together.</summary>
    public int ResourceCount => Clusters.Count + Endpoints.Count + Listeners.Count + Routes.Count;

    /// <summary>
    /// How many VirtualHost messages building this snapshot serialised, rather than reusing their bytes
    /// from the previous snapshot (for tests and benchmarks).
    /// </summary>
    internal int VirtualHostsSerialised { get; }

    /// <summary>
    /// Builds a snapshot. A resource whose message is the same instance as in <paramref name="previous"/>
    /// (or whose bytes hash the same) reuses the previous serialisation; a type whose content did not
    /// change keeps the previous <see cref="ResourceSet"/>, and with it its version. A new
    /// RouteConfiguration reuses the bytes of the VirtualHost instances it shares with the previous
    /// one of the same name (see <see cref="RouteConfigurationEncoder"/>): the bytes are the same.
    /// The resources are keyed by type URL; a type that is missing has none.
    /// </summary>
    public static Snapshot Create(long version, IReadOnlyDictionary<string, IReadOnlyList<IMessage>> resources, Snapshot? previous = null) =>
        Create(version, resources, previous, reuseVirtualHostBytes: true);

    /// <summary>
    /// <see cref="Create(long, IReadOnlyDictionary{string, IReadOnlyList{IMessage}}, Snapshot?)"/>; with <paramref name="reuseVirtualHostBytes"/>
    /// false a changed RouteConfiguration is serialised whole (the baseline of tests and benchmarks).
    /// </summary>
    internal static Snapshot Create(long version, IReadOnlyDictionary<string, IReadOnlyList<IMessage>> resources, Snapshot? previous, bool reuseVirtualHostBytes)
    {
        foreach (var typeUrl in resources.Keys)
        {
            if (!ResourceTypes.IsKnown(typeUrl))
            {
                throw new ArgumentException($"{typeUrl} is not a served xDS type.", nameof(resources));
            }
        }

        var context = new BuildContext(version.ToString(CultureInfo.InvariantCulture), reuseVirtualHostBytes);
        var clusters = BuildSet(ResourceTypes.Cluster, Of(ResourceTypes.Cluster), previous?.Clusters, context);
        var endpoints = BuildSet(ResourceTypes.Endpoint, Of(ResourceTypes.Endpoint), previous?.Endpoints, context);
        var listeners = BuildSet(ResourceTypes.Listener, Of(ResourceTypes.Listener), previous?.Listeners, context);
        var routes = BuildSet(ResourceTypes.Route, Of(ResourceTypes.Route), previous?.Routes, context);
        return new Snapshot(version, clusters, endpoints, listeners, routes, context);

        IReadOnlyList<IMessage> Of(string typeUrl) => resources.TryGetValue(typeUrl, out var messages) ? messages : [];
    }

    /// <summary>The resources of one type. Throws for a type URL this control plane does not serve.</summary>
    public ResourceSet Get(string typeUrl) => typeUrl switch
    {
        ResourceTypes.Cluster => Clusters,
        ResourceTypes.Endpoint => Endpoints,
        ResourceTypes.Listener => Listeners,
        ResourceTypes.Route => Routes,
        _ => throw new ArgumentOutOfRangeException(nameof(typeUrl), typeUrl, "Not a served xDS type."),
    };

    /// <summary>
    /// Every dangling reference: a listener's RDS name with no RouteConfiguration, a route's cluster
    /// with no Cluster, an EDS cluster with no ClusterLoadAssignment; and duplicate names. Empty when
    /// the snapshot is consistent.
    /// </summary>
    public IReadOnlyList<string> CheckConsistency() => _consistencyErrors ??= ComputeConsistency();

    private List<string> ComputeConsistency()
    {
        var errors = new List<string>(_buildErrors);
        var roots = new[] { Listeners, Routes, Clusters }
            .SelectMany(set => set.Resources.Select(r => (new ResourceKey(set.TypeUrl, r.Name), r)));
        ReferenceClosure.Walk(
            roots,
            key => Get(key.TypeUrl).Find(key.Name),
            (from, to) =>
            {
                errors.Add(DanglingError(from, to));
                return true;
            });
        return errors;
    }

    private static string DanglingError(ResourceKey from, ResourceKey to)
    {
        var referrer = from.TypeUrl switch
        {
            ResourceTypes.Listener => "Listener",
            ResourceTypes.Route => "RouteConfiguration",
            _ => "EDS Cluster",
        };
        var (verb, target) = to.TypeUrl switch
        {
            ResourceTypes.Route => ("references", "RouteConfiguration"),
            ResourceTypes.Cluster => ("routes to", "Cluster"),
            _ => ("needs", "ClusterLoadAssignment"),
        };
        return $"{referrer} '{from.Name}' {verb} {target} '{to.Name}', which the snapshot does not contain.";
    }

    private static ResourceSet BuildSet(string typeUrl, IReadOnlyList<IMessage> messages, ResourceSet? previous, BuildContext context)
    {
        var built = new List<CachedResource>(messages.Count);
        var seen = new HashSet<string>(messages.Count, StringComparer.Ordinal);
        var allReused = previous is not null;
        foreach (var message in messages)
        {
            var messageTypeUrl = "type.googleapis.com/" + message.Descriptor.FullName;
            if (!string.Equals(messageTypeUrl, typeUrl, StringComparison.Ordinal))
            {
                throw new ArgumentException($"A {message.Descriptor.FullName} was given as a resource of type {typeUrl}.", nameof(messages));
            }

            var name = ResourceReferences.NameOf(message);
            if (!seen.Add(name))
            {
                context.Errors.Add($"{ResourceTypes.ShortName(typeUrl)} resource name '{name}' appears more than once.");
                continue;
            }

            var prior = previous?.Find(name);
            var resource = Serialise(typeUrl, name, message, prior, context);
            allReused &= prior is not null && ReferenceEquals(resource, prior);
            built.Add(resource);
        }

        if (previous is not null && allReused && built.Count == previous.Count)
        {
            return previous;
        }

        if (!IsSortedByName(built))
        {
            built.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        }

        var set = new ResourceSet(typeUrl, context.TypeVersion, built);
        return previous is not null && set.HasSameContent(previous) ? previous : set;
    }

    private static CachedResource Serialise(string typeUrl, string name, IMessage message, CachedResource? prior, BuildContext context)
    {
        if (prior is not null && ReferenceEquals(prior.Message, message))
        {
            return prior;
        }

        ByteString bytes;
        VirtualHostEncoding[]? virtualHosts = null;
        ResourceReferences? references = null;
        if (context.ReuseVirtualHostBytes && message is RouteConfiguration routeConfiguration)
        {
            var encoded = RouteConfigurationEncoder.Encode(routeConfiguration, prior);
            context.VirtualHostsSerialised += encoded.VirtualHostsSerialised;
            // The array is never written again: it is owned by this resource from here on.
            bytes = UnsafeByteOperations.UnsafeWrap(encoded.Bytes);
            virtualHosts = encoded.VirtualHosts;
            references = encoded.References;
        }
        else
        {
            context.VirtualHostsSerialised += (message as RouteConfiguration)?.VirtualHosts.Count ?? 0;
            bytes = message.ToByteString();
        }

        var hash = ContentVersion.Of(bytes.Span);
        if (prior is not null && string.Equals(prior.Version, hash, StringComparison.Ordinal))
        {
            return prior;
        }

        var any = new Any { TypeUrl = typeUrl, Value = bytes };
        return new CachedResource(name, hash, message, any, references ?? ResourceReferences.Of(message), virtualHosts);
    }


    private static bool IsSortedByName(List<CachedResource> resources)
    {
        for (var i = 1; i < resources.Count; i++)
        {
            if (string.CompareOrdinal(resources[i - 1].Name, resources[i].Name) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What one <see cref="Create(long, IReadOnlyDictionary{string, IReadOnlyList{IMessage}}, Snapshot?, bool)"/> call accumulates.</summary>
    private sealed class BuildContext(string typeVersion, bool reuseVirtualHostBytes)
    {
        public string TypeVersion { get; } = typeVersion;

        public bool ReuseVirtualHostBytes { get; } = reuseVirtualHostBytes;

        public List<string> Errors { get; } = [];

        public int VirtualHostsSerialised { get; set; }
    }
}
