using System.Collections.Immutable;
using Google.Protobuf;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// The Clusters and ClusterLoadAssignments built from the model's clusters, kept between
/// translations: unchanged specs keep their messages, and an unchanged cluster map keeps the same
/// lists. Shared by the Envoy and gRPC translators, which differ only in how one cluster is built.
/// Not thread-safe.
/// </summary>
internal sealed class ClusterTable(Func<ClusterSpec, ClusterResources> build)
{
    private readonly SpecCache<ClusterSpec, ClusterResources> _cache = new(build);
    private ImmutableSortedDictionary<string, ClusterSpec>? _last;

    public IReadOnlyList<IMessage> Clusters { get; private set; } = [];

    /// <summary>The assignments of the EDS clusters (clusters with inline endpoints have none).</summary>
    public IReadOnlyList<IMessage> Endpoints { get; private set; } = [];

    /// <summary>Brings the table up to date; returns how many clusters were (re)built.</summary>
    public int Update(ImmutableSortedDictionary<string, ClusterSpec> clusters)
    {
        if (ReferenceEquals(clusters, _last))
        {
            return 0;
        }

        _last = clusters;
        _cache.BeginPass();
        var clusterMessages = new List<IMessage>(clusters.Count);
        var endpointMessages = new List<IMessage>(clusters.Count);
        foreach (var (name, spec) in clusters)
        {
            var resources = _cache.Get(name, spec);
            clusterMessages.Add(resources.Cluster);
            if (resources.LoadAssignment is { } assignment)
            {
                endpointMessages.Add(assignment);
            }
        }

        _cache.EndPass();
        Clusters = clusterMessages;
        Endpoints = endpointMessages;
        return _cache.Built;
    }
}
