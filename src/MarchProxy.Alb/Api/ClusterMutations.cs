using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>The cluster mutations of the API, as pure functions of the current state.</summary>
public static class ClusterMutations
{
    public static MutationOutcome Upsert(DesiredState state, ClusterConfig? cluster)
    {
        var errors = new FieldErrors();
        var spec = ClusterRequestMapper.Map("cluster", cluster, errors);
        if (spec is null)
        {
            return MutationOutcome.Invalid(errors.Items);
        }

        var verb = state.Clusters.ContainsKey(spec.Name) ? "updated" : "created";
        return MutationOutcome.Changed(state.WithCluster(spec), $"cluster '{spec.Name}' {verb}", ResourceRef.Cluster(spec.Name));
    }

    /// <summary>Deletes an unused cluster; a cluster that a route names is refused (FAILED_PRECONDITION).</summary>
    public static MutationOutcome Delete(DesiredState state, string name)
    {
        if (name.Length == 0)
        {
            return MutationOutcome.Invalid([new FieldViolation("name", "is required")]);
        }

        if (!state.Clusters.ContainsKey(name))
        {
            return MutationOutcome.NotFound($"cluster '{name}' does not exist");
        }

        var users = UsersOf(state, name);
        return users.Count > 0
            ? MutationOutcome.FailedPrecondition($"cluster '{name}' is still used by route(s) {string.Join(", ", users)}")
            : MutationOutcome.Changed(state.WithoutCluster(name), $"cluster '{name}' deleted", ResourceRef.Cluster(name));
    }

    /// <summary>The routes that name a cluster, as their target or as a weighted backend.</summary>
    public static IReadOnlyList<string> UsersOf(DesiredState state, string cluster) =>
        [.. state.Routes.Values
            .Where(r => string.Equals(r.Cluster, cluster, StringComparison.Ordinal) || r.ReferencedClusters.Contains(cluster, StringComparer.Ordinal))
            .Select(r => r.Name)];
}
