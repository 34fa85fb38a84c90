using System.Globalization;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Api;

/// <summary>
/// The message of a batch: how many items of each kind changed something, and the first item messages
/// (a batch of 10,000 items still answers in one short line).
/// </summary>
internal sealed class BatchSummary(int quoted)
{
    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _messages = [];
    private int _changed;

    public void Add(BatchItem.ItemOneofCase item, string message)
    {
        var member = BatchMutation.MemberName(item) ?? "item";
        _counts[member] = _counts.GetValueOrDefault(member) + 1;
        _changed++;
        if (_messages.Count < quoted)
        {
            _messages.Add(message);
        }
    }

    /// <summary>"batch of 5 items (upsert_cluster 1, upsert_route 4): cluster 'a' created; … (and 2 more)".</summary>
    public string Describe(int items)
    {
        var noun = items == 1 ? "item" : "items";
        if (_changed == 0)
        {
            return $"batch of {items.ToString(CultureInfo.InvariantCulture)} {noun}";
        }

        var counts = string.Join(", ", _counts.Select(c => $"{c.Key} {c.Value.ToString(CultureInfo.InvariantCulture)}"));
        var shown = string.Join("; ", _messages);
        var more = _changed - _messages.Count;
        return $"batch of {items.ToString(CultureInfo.InvariantCulture)} {noun} ({counts}): {shown}{(more > 0 ? $" (and {more.ToString(CultureInfo.InvariantCulture)} more)" : string.Empty)}";
    }
}
