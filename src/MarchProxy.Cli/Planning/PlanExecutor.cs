using Grpc.Core;
using MarchProxy.Api.V1;
using MarchProxy.Client;

namespace MarchProxy.Cli.Planning;

/// <summary>
/// Checks a plan with validate_only (nothing changes) and applies it: clusters, routes, then
/// deletions; with --wait, the last mutation waits for the ACKs (an ACK of a version covers every
/// earlier one).
/// </summary>
public sealed class PlanExecutor(MarchProxyClient client)
{
    public async Task<List<StepResult>> ValidateAsync(ChangePlan plan, CancellationToken cancellationToken)
    {
        var created = plan.CreatedClusters;
        var results = new List<StepResult>();
        foreach (var change in plan.Pending)
        {
            results.Add(change.Action == ChangeAction.Delete
                ? CheckDelete(plan, change)
                : await ValidateUpsertAsync(change, created, cancellationToken));
        }

        return results;
    }

    public async Task<List<StepResult>> ApplyAsync(ChangePlan plan, bool waitForAck, CancellationToken cancellationToken)
    {
        var pending = plan.Pending.ToList();
        var results = new List<StepResult>();
        for (var i = 0; i < pending.Count; i++)
        {
            var change = pending[i];
            var wait = waitForAck && i == pending.Count - 1;
            try
            {
                var response = await MutateAsync(change, wait, cancellationToken);
                results.Add(new StepResult(change, true, response.Message, response.Version, null));
            }
            catch (MarchProxyException e)
            {
                results.Add(new StepResult(change, false, e.Detail, e.Version, e));
                break;
            }
        }

        return results;
    }

    private Task<MutationResponse> MutateAsync(ResourceChange change, bool wait, CancellationToken cancellationToken) => (change.Kind, change.Action) switch
    {
        ("cluster", ChangeAction.Delete) => client.DeleteClusterAsync(change.Name, wait, cancellationToken),
        ("route", ChangeAction.Delete) => client.DeleteRouteAsync(change.Name, wait, cancellationToken),
        ("cluster", _) => client.UpsertClusterAsync((ClusterConfig)change.Desired!, wait, validateOnly: false, cancellationToken),
        _ => client.UpsertRouteAsync((RouteConfig)change.Desired!, wait, validateOnly: false, cancellationToken),
    };

    private async Task<StepResult> ValidateUpsertAsync(ResourceChange change, HashSet<string> createdClusters, CancellationToken cancellationToken)
    {
        try
        {
            var response = change.Kind == "cluster"
                ? await client.UpsertClusterAsync((ClusterConfig)change.Desired!, waitForAck: false, validateOnly: true, cancellationToken)
                : await client.UpsertRouteAsync((RouteConfig)change.Desired!, waitForAck: false, validateOnly: true, cancellationToken);
            return new StepResult(change, true, response.Message, response.Version, null);
        }
        catch (MarchProxyException e) when (e.StatusCode == StatusCode.InvalidArgument && change.Desired is RouteConfig route)
        {
            // The API checks a route against the live clusters; the ones this file creates do not exist yet.
            var remaining = e.FieldViolations.Where(v => !NamesCreatedCluster(route, v, createdClusters)).ToList();
            if (remaining.Count == 0)
            {
                return new StepResult(change, true, "valid once the file's new clusters exist", null, null);
            }

            var narrowed = new MarchProxyException(e.StatusCode, e.Detail, remaining, e.Reason, e.Version, e);
            return new StepResult(change, false, e.Detail, e.Version, narrowed);
        }
        catch (MarchProxyException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition)
        {
            return new StepResult(change, false, e.Detail, e.Version, e);
        }
    }

    /// <summary>DeleteCluster has no validate_only: refuse here what the API would refuse (a cluster the file's routes still use).</summary>
    private static StepResult CheckDelete(ChangePlan plan, ResourceChange change)
    {
        if (change.Kind == "cluster")
        {
            var users = plan.Changes
                .Where(c => c.Action != ChangeAction.Delete && c.Desired is RouteConfig route && Uses(route, change.Name))
                .Select(c => c.Name)
                .ToList();
            if (users.Count > 0)
            {
                var detail = $"cluster '{change.Name}' would be deleted but route(s) {string.Join(", ", users.Select(u => $"'{u}'"))} in the file use it";
                return new StepResult(change, false, detail, null, new MarchProxyException(StatusCode.FailedPrecondition, detail, [], "IN_USE", null, null));
            }
        }

        return new StepResult(change, true, $"{change.Kind} '{change.Name}' would be deleted", null, null);
    }

    private static bool NamesCreatedCluster(RouteConfig route, ApiFieldViolation violation, HashSet<string> createdClusters)
    {
        if (violation.Field == "route.cluster_name")
        {
            return createdClusters.Contains(route.ClusterName);
        }

        const string Prefix = "route.weights[";
        if (violation.Field.StartsWith(Prefix, StringComparison.Ordinal) && violation.Field.EndsWith("].backend_name", StringComparison.Ordinal)
            && int.TryParse(violation.Field.AsSpan(Prefix.Length, violation.Field.Length - Prefix.Length - "].backend_name".Length), out var index)
            && index < route.Weights.Count)
        {
            return createdClusters.Contains(route.Weights[index].BackendName) && violation.Description.Contains("does not exist", StringComparison.Ordinal);
        }

        return false;
    }

    private static bool Uses(RouteConfig route, string cluster) =>
        route.ClusterName == cluster || route.Weights.Any(w => w.BackendName == cluster);
}
