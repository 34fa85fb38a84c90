using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// What one model cluster becomes: the Cluster, and its ClusterLoadAssignment when the cluster
/// takes its endpoints from EDS (null when they are inline, as for DNS clusters).
/// </summary>
internal sealed record ClusterResources(Cluster Cluster, ClusterLoadAssignment? LoadAssignment);
