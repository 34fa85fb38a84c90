namespace MarchProxy.ControlPlane.Re2;

/// <summary>Program fragments: concatenation, alternation, repetition, and the patch lists that join them.</summary>
internal sealed partial class Re2Compiler
{
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

    private readonly record struct PatchList(uint Head, uint Tail)
    {
        public static PatchList Make(uint p) => new(p, p);
    }

    private readonly record struct Frag(uint Begin, PatchList End, bool Nullable);
}
