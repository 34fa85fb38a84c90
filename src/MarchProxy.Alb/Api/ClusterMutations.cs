using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>The cluster mutations of the API, as pure functions of the current state.</summary>
public static class ClusterMutations
{
    /// <summary>
    /// Creates or replaces a cluster. Checked at push time: TLS files it names must exist and be
    /// readable PEM on this machine.
    /// </summary>
    public static MutationOutcome Upsert(DesiredState state, ClusterConfig? cluster, ValidationOptions? options = null)
    {
        var errors = new List<FieldViolation>();
        var spec = ClusterRequestMapper.Map(cluster, errors);
        if (spec is null)
        {
            return MutationOutcome.Invalid(errors);
        }

        errors.AddRange(RequestFields.ForCluster(spec.Name).Map(ConfigValidator.ValidateCluster(spec, options ?? ValidationOptions.PushTime)));
        if (errors.Count > 0)
        {
            return MutationOutcome.Invalid(errors);
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
            return MutationOutcome.NotFound($"cluster {ValidationText.Quote(name)} does not exist");
        }

        var users = UsersOf(state, name);
        return users.Count > 0
            ? MutationOutcome.FailedPrecondition($"cluster '{name}' is still used by route(s) {string.Join(", ", users.Take(10))}{(users.Count > 10 ? $" and {users.Count - 10} more" : string.Empty)}")
            : MutationOutcome.Changed(state.WithoutCluster(name), $"cluster '{name}' deleted", ResourceRef.Cluster(name));
    }

    /// <summary>The routes that name a cluster, as their target or as a weighted backend.</summary>
    public static IReadOnlyList<string> UsersOf(DesiredState state, string cluster) =>
        [.. state.Routes.Values
            .Where(r => string.Equals(r.Cluster, cluster, StringComparison.Ordinal) || r.ReferencedClusters.Contains(cluster, StringComparer.Ordinal))
            .Select(r => r.Name)];
}
