namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Keeps one label's values bounded: the first <c>limit</c> distinct values keep their own label
/// for the life of the process; later ones are reported as <see cref="Overflow"/>. Admission is
/// sticky so that a series never moves between its own label and <see cref="Overflow"/>, which would
/// make both counters jump. Thread-safe (the Prometheus and OTLP readers may observe at once).
/// </summary>
public sealed class BoundedLabelSet
{
    public const string Overflow = "other";

    private readonly int _limit;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _admitted = new(StringComparer.Ordinal);

    public BoundedLabelSet(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    /// <summary>The label for <paramref name="value"/>: itself, or <see cref="Overflow"/> once the set is full.</summary>
    public string Map(string value)
    {
        lock (_lock)
        {
            if (_admitted.Contains(value))
            {
                return value;
            }

            if (_admitted.Count < _limit)
            {
                _admitted.Add(value);
                return value;
            }

            return Overflow;
        }
    }

    /// <summary>
    /// Maps every key and sums the values that share a label. Keys are visited in order, so the
    /// values admitted first are the first in ordinal order among those seen together.
    /// </summary>
    public IReadOnlyDictionary<string, T> Sum<T>(IEnumerable<KeyValuePair<string, T>> values, Func<T, T, T> add)
    {
        var sums = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            var label = Map(key);
            sums[label] = sums.TryGetValue(label, out var sum) ? add(sum, value) : value;
        }

        return sums;
    }
}
