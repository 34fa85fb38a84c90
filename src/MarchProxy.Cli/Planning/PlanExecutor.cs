using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using MarchProxy.Api.V1;
using MarchProxy.Client;

namespace MarchProxy.Cli.Planning;

/// <summary>
/// Sends a plan as one ApplyBatch, in the plan's order (clusters, routes, then deletions): checked with
/// validate_only, or applied as one config version, all or nothing. A refusal is shown on the change
/// it names (the batch's <c>items[i]</c> is the plan's i-th pending change).
/// </summary>
public sealed partial class PlanExecutor(MarchProxyClient client)
{
    public Task<List<StepResult>> ValidateAsync(ChangePlan plan, CancellationToken cancellationToken) =>
        SendAsync(plan, waitForAck: false, validateOnly: true, cancellationToken);

    public Task<List<StepResult>> ApplyAsync(ChangePlan plan, bool waitForAck, CancellationToken cancellationToken) =>
        SendAsync(plan, waitForAck, validateOnly: false, cancellationToken);

    /// <summary>True when the API refused the batch itself (nothing changed), not its delivery.</summary>
    public static bool IsRefusal(MarchProxyException error) =>
        error.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition;

    private async Task<List<StepResult>> SendAsync(ChangePlan plan, bool waitForAck, bool validateOnly, CancellationToken cancellationToken)
    {
        var pending = plan.Pending.ToList();
        if (pending.Count == 0)
        {
            return [];
        }

        try
        {
            var response = await client.ApplyBatchAsync(pending.Select(ToItem), waitForAck, validateOnly, cancellationToken);
            var message = validateOnly ? "valid" : $"applied in one batch of {response.Items}";
            return [.. pending.Select(c => new StepResult(c, true, message, response.Version, null))];
        }
        catch (MarchProxyException e) when (IsRefusal(e))
        {
            return Attribute(pending, e);
        }
        catch (MarchProxyException e)
        {
            // Not a refusal (unavailable, NACKed, ACK timeout): the error is about the batch as a whole.
            return [.. pending.Select(c => new StepResult(c, false, e.Detail, e.Version, e))];
        }
    }

    /// <summary>Puts each field violation (and a NOT_FOUND or FAILED_PRECONDITION) on the change its item index names.</summary>
    private static List<StepResult> Attribute(List<ResourceChange> pending, MarchProxyException error)
    {
        var byIndex = new Dictionary<int, List<ApiFieldViolation>>();
        var unattributed = new List<ApiFieldViolation>();
        foreach (var violation in error.FieldViolations)
        {
            if (ItemField().Match(violation.Field) is { Success: true } m && Index(m) is { } i && i < pending.Count)
            {
                Add(byIndex, i, violation with { Field = m.Groups["rest"].Value.TrimStart('.') });
            }
            else
            {
                unattributed.Add(violation);
            }
        }

        var detail = error.Detail;
        if (ItemMessage().Match(detail) is { Success: true } named && Index(named) is { } index && index < pending.Count)
        {
            byIndex.TryAdd(index, []);
            detail = named.Groups["rest"].Value;
        }

        if (unattributed.Count > 0 || byIndex.Count == 0)
        {
            // Whole-batch problems (its size, a field of no item): shown on the first change.
            Add(byIndex, 0, [.. unattributed]);
        }

        return [.. pending.Select((change, i) => byIndex.TryGetValue(i, out var violations)
            ? new StepResult(change, false, detail, error.Version, new MarchProxyException(error.StatusCode, detail, violations, error.Reason, error.Version, error))
            : new StepResult(change, true, "not refused", null, null))];
    }

    private static void Add(Dictionary<int, List<ApiFieldViolation>> byIndex, int index, params ApiFieldViolation[] violations)
    {
        if (!byIndex.TryGetValue(index, out var list))
        {
            byIndex[index] = list = [];
        }

        list.AddRange(violations);
    }

    private static int? Index(Match match) =>
        int.TryParse(match.Groups["index"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;

    private static BatchItem ToItem(ResourceChange change) => (change.Kind, change.Action) switch
    {
        ("cluster", ChangeAction.Delete) => new BatchItem { DeleteCluster = new DeleteRequest { Name = change.Name } },
        ("route", ChangeAction.Delete) => new BatchItem { DeleteRoute = new DeleteRequest { Name = change.Name } },
        ("cluster", _) => new BatchItem { UpsertCluster = new UpsertClusterRequest { Cluster = (ClusterConfig)change.Desired! } },
        _ => new BatchItem { UpsertRoute = new UpsertRouteRequest { Route = (RouteConfig)change.Desired! } },
    };

    /// <summary><c>items[3].upsert_route.route.hosts[0]</c>: the index, and the field after the item's member.</summary>
    [GeneratedRegex(@"^items\[(?<index>\d+)\]\.[a-z_]+(?<rest>.*)$")]
    private static partial Regex ItemField();

    /// <summary><c>items[3].delete_cluster: cluster 'x' …</c>: the index, and the message after it.</summary>
    [GeneratedRegex(@"^items\[(?<index>\d+)\]\.[a-z_]+: (?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex ItemMessage();
}
