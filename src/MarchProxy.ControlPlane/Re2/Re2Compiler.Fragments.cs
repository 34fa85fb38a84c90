namespace MarchProxy.ControlPlane.Re2;

/// <summary>Program fragments and the rune-range compiler (RE2's UTF-8 byte-range trie with cached suffixes).</summary>
internal sealed partial class Re2Compiler
{
    private readonly Dictionary<ulong, int> _runeCache = [];
    private Frag _runeRange;

    private Frag Cat(Frag a, Frag b)
    {
        if (a.Begin == 0 || b.Begin == 0)
        {
            return default;
        }

        // A lone no-op in front is dropped.
        ref var begin = ref _inst[a.Begin];
        if (begin.Op == Re2InstOp.Nop && a.End.Head == a.Begin << 1 && begin.Out == 0)
        {
            Patch(a.End, b.Begin);
            return b;
        }

        Patch(a.End, b.Begin);
        return new Frag(a.Begin, b.End, a.Nullable && b.Nullable);
    }

    private Frag Alt(Frag a, Frag b)
    {
        if (a.Begin == 0)
        {
            return b;
        }

        if (b.Begin == 0)
        {
            return a;
        }

        var id = Alloc(1);
        if (id < 0)
        {
            return default;
        }

        _inst[id] = new Re2Inst { Op = Re2InstOp.Alt, Out = a.Begin, Out1 = b.Begin };
        return new Frag((uint)id, Append(a.End, b.End), a.Nullable || b.Nullable);
    }

    private Frag Plus(Frag a, bool nonGreedy)
    {
        var id = Alloc(1);
        if (id < 0)
        {
            return default;
        }

        var loop = InitLoop(id, a.Begin, nonGreedy);
        Patch(a.End, (uint)id);
        return new Frag(a.Begin, loop, a.Nullable);
    }

    private Frag Star(Frag a, bool nonGreedy)
    {
        // A nullable body needs (a+)? to keep the priorities right.
        if (a.Nullable)
        {
            return Quest(Plus(a, nonGreedy), nonGreedy);
        }

        var id = Alloc(1);
        if (id < 0)
        {
            return default;
        }

        var loop = InitLoop(id, a.Begin, nonGreedy);
        Patch(a.End, (uint)id);
        return new Frag((uint)id, loop, true);
    }

    private Frag Quest(Frag a, bool nonGreedy)
    {
        if (a.Begin == 0)
        {
            return Nop();
        }

        var id = Alloc(1);
        if (id < 0)
        {
            return default;
        }

        var skip = InitLoop(id, a.Begin, nonGreedy);
        return new Frag((uint)id, Append(skip, a.End), true);
    }

    /// <summary>An Alt that prefers <paramref name="body"/> (greedy) or the way out; returns the way out.</summary>
    private PatchList InitLoop(int id, uint body, bool nonGreedy)
    {
        if (nonGreedy)
        {
            _inst[id] = new Re2Inst { Op = Re2InstOp.Alt, Out = 0, Out1 = body };
            return PatchList.Make((uint)id << 1);
        }

        _inst[id] = new Re2Inst { Op = Re2InstOp.Alt, Out = body, Out1 = 0 };
        return PatchList.Make(((uint)id << 1) | 1);
    }

    private Frag ByteRange(int lo, int hi, bool foldCase)
    {
        var id = Alloc(1);
        if (id < 0)
        {
            return default;
        }

        _inst[id] = new Re2Inst { Op = Re2InstOp.ByteRange, Lo = (byte)lo, Hi = (byte)hi, FoldCase = foldCase };
        return new Frag((uint)id, PatchList.Make((uint)id << 1), false);
    }

    private Frag Nop() => Single(Re2InstOp.Nop, nullable: true);

    private Frag EmptyWidth() => Single(Re2InstOp.EmptyWidth, nullable: true);

    private Frag Match()
    {
        var id = Alloc(1);
        if (id < 0)
        {
            return default;
        }

        _inst[id] = new Re2Inst { Op = Re2InstOp.Match };
        return new Frag((uint)id, default, false);
    }

    private Frag Single(Re2InstOp op, bool nullable)
    {
        var id = Alloc(1);
        if (id < 0)
        {
            return default;
        }

        _inst[id] = new Re2Inst { Op = op };
        return new Frag((uint)id, PatchList.Make((uint)id << 1), nullable);
    }

    private Frag Capture(Frag a, int n)
    {
        if (a.Begin == 0)
        {
            return default;
        }

        var id = Alloc(2);
        if (id < 0)
        {
            return default;
        }

        _inst[id] = new Re2Inst { Op = Re2InstOp.Capture, Out = a.Begin };
        _inst[id + 1] = new Re2Inst { Op = Re2InstOp.Capture };
        Patch(a.End, (uint)id + 1);
        return new Frag((uint)id, PatchList.Make(((uint)id + 1) << 1), a.Nullable);
    }

    /// <summary>The unanchored search prefix: a non-greedy loop over any byte.</summary>
    private Frag DotStar() => Star(ByteRange(0x00, 0xFF, false), nonGreedy: true);

    private void Patch(PatchList list, uint target)
    {
        var head = list.Head;
        while (head != 0)
        {
            ref var ip = ref _inst[head >> 1];
            if ((head & 1) != 0)
            {
                head = ip.Out1;
                ip.Out1 = target;
            }
            else
            {
                head = ip.Out;
                ip.Out = target;
            }
        }
    }

    private PatchList Append(PatchList first, PatchList second)
    {
        if (first.Head == 0)
        {
            return second;
        }

        if (second.Head == 0)
        {
            return first;
        }

        ref var ip = ref _inst[first.Tail >> 1];
        if ((first.Tail & 1) != 0)
        {
            ip.Out1 = second.Head;
        }
        else
        {
            ip.Out = second.Head;
        }

        return new PatchList(first.Head, second.Tail);
    }

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

    private readonly record struct PatchList(uint Head, uint Tail)
    {
        public static PatchList Make(uint p) => new(p, p);
    }

    private readonly record struct Frag(uint Begin, PatchList End, bool Nullable);
}
