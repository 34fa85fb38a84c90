namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// A set of runes kept as sorted, non-overlapping, non-adjacent ranges (RE2's character class).
/// </summary>
internal sealed class Re2CharClass
{
    public const int MaxRune = 0x10FFFF;

    private readonly List<(int Lo, int Hi)> _ranges = [];

    public IReadOnlyList<(int Lo, int Hi)> Ranges => _ranges;

    /// <summary>How many runes the class holds.</summary>
    public long Count { get; private set; }

    public bool IsEmpty => Count == 0;

    public bool IsFull => Count == MaxRune + 1;

    /// <summary>Adds lo-hi; returns false when the class already held all of it.</summary>
    public bool AddRange(int lo, int hi)
    {
        if (hi < lo)
        {
            return false;
        }

        var index = FirstEndingAtOrAfter(lo);
        if (index < _ranges.Count && _ranges[index].Lo <= lo && hi <= _ranges[index].Hi)
        {
            return false;
        }

        // Merge every range that overlaps or touches lo-hi.
        var start = lo > 0 ? FirstEndingAtOrAfter(lo - 1) : 0;
        var end = start;
        while (end < _ranges.Count && _ranges[end].Lo <= (hi == MaxRune ? MaxRune : hi + 1))
        {
            lo = Math.Min(lo, _ranges[end].Lo);
            hi = Math.Max(hi, _ranges[end].Hi);
            Count -= _ranges[end].Hi - _ranges[end].Lo + 1;
            end++;
        }

        _ranges.RemoveRange(start, end - start);
        _ranges.Insert(start, (lo, hi));
        Count += hi - lo + 1;
        return true;
    }

    public void AddClass(Re2CharClass other)
    {
        foreach (var (lo, hi) in other._ranges)
        {
            AddRange(lo, hi);
        }
    }

    public bool Contains(int rune)
    {
        var index = FirstEndingAtOrAfter(rune);
        return index < _ranges.Count && _ranges[index].Lo <= rune;
    }

    public void Negate()
    {
        var negated = new List<(int Lo, int Hi)>(_ranges.Count + 1);
        var next = 0;
        foreach (var (lo, hi) in _ranges)
        {
            if (lo > next)
            {
                negated.Add((next, lo - 1));
            }

            next = hi + 1;
        }

        if (next <= MaxRune)
        {
            negated.Add((next, MaxRune));
        }

        _ranges.Clear();
        _ranges.AddRange(negated);
        Count = MaxRune + 1 - Count;
    }

    /// <summary>True when the class treats A-Z exactly as a-z (RE2 then compiles letters case-folded).</summary>
    public bool FoldsAscii()
    {
        for (var c = 'A'; c <= 'Z'; c++)
        {
            if (Contains(c) != Contains(c + ('a' - 'A')))
            {
                return false;
            }
        }

        return true;
    }

    public bool SameRanges(Re2CharClass other) => Count == other.Count && _ranges.SequenceEqual(other._ranges);

    private int FirstEndingAtOrAfter(int rune)
    {
        int low = 0, high = _ranges.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_ranges[mid].Hi < rune)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
