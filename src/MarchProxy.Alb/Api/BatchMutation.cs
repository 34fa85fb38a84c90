using System.Globalization;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// ApplyBatch as one mutation: the items run in order through the single mutations (each sees the
/// state the items before it left), so the store validates, persists and publishes the result once.
/// Errors name the item and the field the caller sent (<c>items[3].upsert_route.route.backends[0].weight</c>):
/// item checks directly, whole-state checks through the last item that touched the resource.
/// </summary>
public sealed class BatchMutation
{
    /// <summary>The most items one batch may hold.</summary>
    public const int MaxItems = 10_000;

    /// <summary>How many item messages the batch's message quotes before it only counts.</summary>
    private const int QuotedMessages = 3;

    private readonly IReadOnlyList<BatchItem> _items;

    // Written by each evaluation (the store runs them one at a time), read after the last one.
    private Dictionary<string, (int Index, RequestFields Fields)> _lastTouch = new(StringComparer.Ordinal);

    public BatchMutation(IReadOnlyList<BatchItem> items) => _items = items;

    /// <summary>The request-level problems (too many items), found before the store is asked.</summary>
    public static IReadOnlyList<FieldViolation> CheckRequest(BatchRequest request) =>
        request.Items.Count > MaxItems
            ? [new FieldViolation("items", $"a batch holds at most {MaxItems.ToString("N0", CultureInfo.InvariantCulture)} items (has {request.Items.Count.ToString("N0", CultureInfo.InvariantCulture)}); split it")]
            : [];

    /// <summary>Runs every item on <paramref name="state"/>; invalid items are all reported, the first missing resource or precondition ends the run.</summary>
    public MutationOutcome Apply(DesiredState state)
    {
        var lastTouch = new Dictionary<string, (int Index, RequestFields Fields)>(StringComparer.Ordinal);
        var violations = new List<FieldViolation>();
        var touched = new List<ResourceRef>();
        var summary = new BatchSummary(QuotedMessages);
        for (var i = 0; i < _items.Count; i++)
        {
            var item = _items[i];
            var prefix = $"items[{i.ToString(CultureInfo.InvariantCulture)}]";
            var member = MemberName(item.ItemCase);
            if (member is null)
            {
                violations.Add(new FieldViolation(prefix, "one of upsert_route, delete_route, upsert_cluster, delete_cluster, set_traffic_weight, apply_rate_limit is required"));
                continue;
            }

            var itemPath = $"{prefix}.{member}";
            if (ItemOptions(item) is { } option)
            {
                violations.Add(new FieldViolation($"{itemPath}.{option}", "must not be set on an item; set it on the batch"));
                continue;
            }

            var outcome = Run(item, state);
            switch (outcome.Status)
            {
                case MutationStatus.Changed:
                    state = outcome.State!;
                    touched.AddRange(outcome.Touched);
                    summary.Add(item.ItemCase, outcome.Message);
                    var fields = Fields(item);
                    foreach (var resource in outcome.Touched)
                    {
                        lastTouch[Root(resource)] = (i, fields);
                    }

                    break;
                case MutationStatus.Invalid:
                    violations.AddRange(outcome.Violations.Select(v => v with { Field = $"{itemPath}.{v.Field}" }));
                    break;
                default:
                    _lastTouch = lastTouch;
                    return violations.Count > 0
                        ? MutationOutcome.Invalid(violations)
                        : Refusal(outcome, $"{itemPath}: {outcome.Message}");
            }
        }

        _lastTouch = lastTouch;
        return violations.Count > 0
            ? MutationOutcome.Invalid(violations)
            : MutationOutcome.Changed(state, summary.Describe(_items.Count), [.. touched]);
    }

    /// <summary>
    /// A whole-state violation (model path such as <c>routes[web].backends[0].weight</c>) in the
    /// request's terms, through the last item that touched the route or cluster; other paths stay.
    /// </summary>
    public FieldViolation MapWholeState(FieldViolation violation)
    {
        var path = violation.Field;
        var close = path.IndexOf(']', StringComparison.Ordinal);
        if (close < 0 || !_lastTouch.TryGetValue(path[..(close + 1)], out var touch))
        {
            return violation;
        }

        var mapped = touch.Fields.Map(path);
        var member = MemberName(_items[touch.Index].ItemCase);
        var item = $"items[{touch.Index.ToString(CultureInfo.InvariantCulture)}].{member}";
        return violation with { Field = string.Equals(mapped, path, StringComparison.Ordinal) ? $"{item} ({path})" : $"{item}.{mapped}" };
    }

    /// <summary>The oneof member's field name, or null when none is set.</summary>
    public static string? MemberName(BatchItem.ItemOneofCase item) => item switch
    {
        BatchItem.ItemOneofCase.UpsertRoute => "upsert_route",
        BatchItem.ItemOneofCase.DeleteRoute => "delete_route",
        BatchItem.ItemOneofCase.UpsertCluster => "upsert_cluster",
        BatchItem.ItemOneofCase.DeleteCluster => "delete_cluster",
        BatchItem.ItemOneofCase.SetTrafficWeight => "set_traffic_weight",
        BatchItem.ItemOneofCase.ApplyRateLimit => "apply_rate_limit",
        _ => null,
    };

    private static MutationOutcome Run(BatchItem item, DesiredState state) => item.ItemCase switch
    {
        BatchItem.ItemOneofCase.UpsertRoute => RouteMutations.Upsert(state, item.UpsertRoute.Route),
        BatchItem.ItemOneofCase.DeleteRoute => RouteMutations.Delete(state, item.DeleteRoute.Name),
        BatchItem.ItemOneofCase.UpsertCluster => ClusterMutations.Upsert(state, item.UpsertCluster.Cluster),
        BatchItem.ItemOneofCase.DeleteCluster => ClusterMutations.Delete(state, item.DeleteCluster.Name),
        BatchItem.ItemOneofCase.SetTrafficWeight => RouteMutations.SetTrafficWeight(state, item.SetTrafficWeight),
        _ => RouteMutations.ApplyRateLimit(state, item.ApplyRateLimit),
    };

    private static RequestFields Fields(BatchItem item) => item.ItemCase switch
    {
        BatchItem.ItemOneofCase.UpsertRoute => RequestFields.ForRoute(item.UpsertRoute.Route),
        BatchItem.ItemOneofCase.UpsertCluster => RequestFields.ForCluster(item.UpsertCluster.Cluster?.Name ?? string.Empty),
        BatchItem.ItemOneofCase.SetTrafficWeight => RequestFields.ForWeights(item.SetTrafficWeight.RouteName),
        BatchItem.ItemOneofCase.ApplyRateLimit => RequestFields.ForRateLimit(item.ApplyRateLimit.RouteName),
        BatchItem.ItemOneofCase.DeleteCluster => RequestFields.ForCluster(item.DeleteCluster.Name),
        _ => RequestFields.ForRoute((RouteConfig?)null),
    };

    /// <summary>The first per-request option set on an item (the batch's own decide), or null.</summary>
    private static string? ItemOptions(BatchItem item) => item.ItemCase switch
    {
        BatchItem.ItemOneofCase.UpsertRoute => Option(item.UpsertRoute.WaitForAck, item.UpsertRoute.ValidateOnly, item.UpsertRoute.AckScope),
        BatchItem.ItemOneofCase.DeleteRoute => Option(item.DeleteRoute.WaitForAck, false, item.DeleteRoute.AckScope),
        BatchItem.ItemOneofCase.UpsertCluster => Option(item.UpsertCluster.WaitForAck, item.UpsertCluster.ValidateOnly, item.UpsertCluster.AckScope),
        BatchItem.ItemOneofCase.DeleteCluster => Option(item.DeleteCluster.WaitForAck, false, item.DeleteCluster.AckScope),
        BatchItem.ItemOneofCase.SetTrafficWeight => Option(item.SetTrafficWeight.WaitForAck, false, item.SetTrafficWeight.AckScope),
        _ => Option(item.ApplyRateLimit.WaitForAck, false, item.ApplyRateLimit.AckScope),
    };

    private static string? Option(bool waitForAck, bool validateOnly, AckScope scope) =>
        waitForAck ? "wait_for_ack" : validateOnly ? "validate_only" : scope != AckScope.Local ? "ack_scope" : null;

    private static string Root(ResourceRef resource) =>
        resource.Kind == ResourceKind.Route ? ConfigValidator.RoutePath(resource.Name) : ConfigValidator.ClusterPath(resource.Name);

    private static MutationOutcome Refusal(MutationOutcome outcome, string message) => outcome.Status == MutationStatus.NotFound
        ? MutationOutcome.NotFound(message)
        : MutationOutcome.FailedPrecondition(message);
}
