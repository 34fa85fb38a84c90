namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// The rune-range compiler: a class becomes UTF-8 byte ranges joined in a trie, with common suffixes
/// cached, exactly as RE2 builds them (the number of instructions depends on it).
/// </summary>
internal sealed partial class Re2Compiler
{
    private readonly Dictionary<ulong, int> _runeCache = [];
    private Frag _runeRange;

    private void BeginRange()
    {
        _runeCache.Clear();
        _runeRange = default;
    }

    private void AddRuneRange(int lo, int hi, bool foldCase)
    {
        if (lo > hi)
        {
            return;
        }

        if (lo == 0x80 && hi == Re2CharClass.MaxRune)
        {
            Add80To10FFFF();
            return;
        }

        // Split into ranges whose runes have the same UTF-8 length.
        foreach (var max in (ReadOnlySpan<int>)[0x7F, 0x7FF, 0xFFFF])
        {
            if (lo <= max && max < hi)
            {
                AddRuneRange(lo, max, foldCase);
                AddRuneRange(max + 1, hi, foldCase);
                return;
            }
        }

        if (hi < 0x80)
        {
            AddSuffix(UncachedSuffix((byte)lo, (byte)hi, foldCase, 0));
            return;
        }

        // Split into ranges that agree on their leading bytes.
        for (var i = 1; i < 4; i++)
        {
            var m = (1 << (6 * i)) - 1;
            if ((lo & ~m) != (hi & ~m))
            {
                if ((lo & m) != 0)
                {
                    AddRuneRange(lo, lo | m, foldCase);
                    AddRuneRange((lo | m) + 1, hi, foldCase);
                    return;
                }

                if ((hi & m) != m)
                {
                    AddRuneRange(lo, (hi & ~m) - 1, foldCase);
                    AddRuneRange(hi & ~m, hi, foldCase);
                    return;
                }
            }
        }

        var low = Utf8(lo);
        var high = Utf8(hi);
        var id = 0;
        for (var i = low.Length - 1; i >= 0; i--)
        {
            // The last byte and inner byte ranges are worth sharing; the leading byte is not.
            id = i == low.Length - 1 || (low[i] < high[i] && i != 0)
                ? CachedSuffix(low[i], high[i], false, id)
                : UncachedSuffix(low[i], high[i], false, id);
        }

        AddSuffix(id);
    }

    /// <summary>RE2's shortcut for 80-10FFFF: loose continuation bytes, three sequences.</summary>
    private void Add80To10FFFF()
    {
        var cont1 = UncachedSuffix(0x80, 0xBF, false, 0);
        AddSuffix(UncachedSuffix(0xC2, 0xDF, false, cont1));
        var cont2 = UncachedSuffix(0x80, 0xBF, false, cont1);
        AddSuffix(UncachedSuffix(0xE0, 0xEF, false, cont2));
        var cont3 = UncachedSuffix(0x80, 0xBF, false, cont2);
        AddSuffix(UncachedSuffix(0xF0, 0xF4, false, cont3));
    }

    private int UncachedSuffix(byte lo, byte hi, bool foldCase, int next)
    {
        var f = ByteRange(lo, hi, foldCase);
        if (next != 0)
        {
            Patch(f.End, (uint)next);
        }
        else
        {
            _runeRange = _runeRange with { End = Append(_runeRange.End, f.End) };
        }

        return (int)f.Begin;
    }

    private int CachedSuffix(byte lo, byte hi, bool foldCase, int next)
    {
        var key = CacheKey(lo, hi, foldCase, (uint)next);
        if (_runeCache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var id = UncachedSuffix(lo, hi, foldCase, next);
        _runeCache[key] = id;
        return id;
    }

    private bool IsCachedSuffix(int id)
    {
        ref var ip = ref _inst[id];
        return _runeCache.ContainsKey(CacheKey(ip.Lo, ip.Hi, ip.FoldCase, ip.Out));
    }

    private static ulong CacheKey(byte lo, byte hi, bool foldCase, uint next) =>
        ((ulong)next << 17) | ((ulong)lo << 9) | ((ulong)hi << 1) | (foldCase ? 1UL : 0UL);

    private void AddSuffix(int id)
    {
        if (Failed)
        {
            return;
        }

        if (_runeRange.Begin == 0)
        {
            _runeRange = _runeRange with { Begin = (uint)id };
            return;
        }

        _runeRange = _runeRange with { Begin = (uint)AddSuffixRecursive((int)_runeRange.Begin, id) };
    }

    /// <summary>Adds a suffix to the trie rooted at <paramref name="root"/>, sharing a leading byte range when it can.</summary>
    private int AddSuffixRecursive(int root, int id)
    {
        var f = FindByteRange(root, id);
        if (f.Begin == 0)
        {
            var alt = Alloc(1);
            if (alt < 0)
            {
                return 0;
            }

            _inst[alt] = new Re2Inst { Op = Re2InstOp.Alt, Out = (uint)root, Out1 = (uint)id };
            return alt;
        }

        int br;
        if (f.End.Head == 0)
        {
            br = root;
        }
        else
        {
            br = (int)((f.End.Head & 1) != 0 ? _inst[f.Begin].Out1 : _inst[f.Begin].Out);
        }

        if (IsCachedSuffix(br))
        {
            // A cached suffix is shared: branch off a copy of its head instead.
            var copy = Alloc(1);
            if (copy < 0)
            {
                return 0;
            }

            _inst[copy] = _inst[br] with { };
            br = copy;
            if (f.End.Head == 0)
            {
                root = br;
            }
            else if ((f.End.Head & 1) != 0)
            {
                _inst[f.Begin].Out1 = (uint)br;
            }
            else
            {
                _inst[f.Begin].Out = (uint)br;
            }
        }

        var outId = (int)_inst[id].Out;
        if (!IsCachedSuffix(id))
        {
            // The head was the last instruction allocated: free it.
            _inst[id] = default;
            _count--;
        }

        outId = AddSuffixRecursive((int)_inst[br].Out, outId);
        if (outId == 0)
        {
            return 0;
        }

        _inst[br].Out = (uint)outId;
        return root;
    }

    private Frag FindByteRange(int root, int id)
    {
        if (_inst[root].Op == Re2InstOp.ByteRange)
        {
            return SameByteRange(root, id) ? new Frag((uint)root, default, false) : default;
        }

        // Ranges arrive sorted, so only the newest branch (out1 of the top Alt) can share a head.
        if (_inst[root].Op == Re2InstOp.Alt && SameByteRange((int)_inst[root].Out1, id))
        {
            return new Frag((uint)root, PatchList.Make(((uint)root << 1) | 1), false);
        }

        return default;
    }

    private bool SameByteRange(int a, int b) =>
        _inst[a].Lo == _inst[b].Lo && _inst[a].Hi == _inst[b].Hi && _inst[a].FoldCase == _inst[b].FoldCase;
}
