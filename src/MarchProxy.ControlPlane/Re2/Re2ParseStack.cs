namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// The parse stack of <see cref="Re2Parser"/>: operands and markers ("(" and "|") linked through
/// <see cref="Re2Node.Down"/>. It builds the tree the way RE2 does (literals merged into strings as they
/// arrive, repetition operators squashed, alternations factored), because the tree's shape decides the
/// program size.
/// </summary>
internal sealed partial class Re2ParseStack(Re2Flags flags, Re2Unsupported notes)
{
    public const int MaxRepeat = 1000;

    private Re2Node? _top;
    private int _captures;

    public Re2Flags Flags { get; set; } = flags;

    public void PushRegexp(Re2Node re)
    {
        MaybeConcatString(-1, Re2Flags.None);

        // A class of one rune is a literal; [Aa] is a case-folded literal.
        if (re.Op == Re2Op.CharClass && re.Class is { } cls)
        {
            if (cls.Count == 1)
            {
                re = Re2Node.Literal(cls.Ranges[0].Lo, Flags);
            }
            else if (cls.Count == 2)
            {
                var r = cls.Ranges[0].Lo;
                if (r is >= 'A' and <= 'Z' && cls.Contains(r + ('a' - 'A')))
                {
                    re = Re2Node.Literal(r + ('a' - 'A'), Flags | Re2Flags.FoldCase);
                }
            }
        }

        re.Down = _top;
        _top = re;
    }

    public void PushSimple(Re2Op op) => PushRegexp(new Re2Node(op, Flags));

    public void PushCaret() => PushSimple((Flags & Re2Flags.OneLine) != 0 ? Re2Op.BeginText : Re2Op.BeginLine);

    public void PushDollar()
    {
        if ((Flags & Re2Flags.OneLine) != 0)
        {
            // Remembered so that $ and \z stay distinct nodes.
            PushRegexp(new Re2Node(Re2Op.EndText, Flags | Re2Flags.WasDollar));
            return;
        }

        PushSimple(Re2Op.EndLine);
    }

    public void PushDot()
    {
        if ((Flags & Re2Flags.DotNL) != 0 && (Flags & Re2Flags.NeverNL) == 0)
        {
            PushSimple(Re2Op.AnyChar);
            return;
        }

        var cls = new Re2CharClass();
        cls.AddRange(0, '\n' - 1);
        cls.AddRange('\n' + 1, Re2CharClass.MaxRune);
        PushRegexp(new Re2Node(Re2Op.CharClass, Flags & ~Re2Flags.FoldCase) { Class = cls });
    }

    public void PushRepeatOp(Re2Op op, string text, bool nonGreedy)
    {
        if (_top is null || _top.IsMarker)
        {
            throw new Re2ParseException("missing argument to repetition operator", text);
        }

        var flags = nonGreedy ? Flags ^ Re2Flags.NonGreedy : Flags;
        if (op == _top.Op && flags == _top.Flags)
        {
            return;
        }

        if (_top.Op is Re2Op.Star or Re2Op.Plus or Re2Op.Quest && flags == _top.Flags)
        {
            _top.Op = Re2Op.Star;
            return;
        }

        var re = new Re2Node(op, flags) { Subs = [_top], Down = _top.Down };
        _top = re;
    }

    public void PushRepetition(int min, int max, string text, bool nonGreedy)
    {
        if ((max != -1 && max < min) || min > MaxRepeat || max > MaxRepeat)
        {
            throw new Re2ParseException("invalid repetition size", text);
        }

        if (_top is null || _top.IsMarker)
        {
            throw new Re2ParseException("missing argument to repetition operator", text);
        }

        var re = new Re2Node(Re2Op.Repeat, nonGreedy ? Flags ^ Re2Flags.NonGreedy : Flags)
        {
            Min = min,
            Max = max,
            Subs = [_top],
            Down = _top.Down,
        };
        _top = re;
        if ((min >= 2 || max >= 2) && RepetitionBudget(re, MaxRepeat) == 0)
        {
            throw new Re2ParseException("invalid repetition size", text);
        }
    }

    public void DoLeftParen(string? name) => PushRegexp(new Re2Node(Re2Op.LeftParen, Flags) { Cap = ++_captures, Name = name });

    public void DoLeftParenNoCapture() => PushRegexp(new Re2Node(Re2Op.LeftParen, Flags) { Cap = -1 });

    public void DoVerticalBar()
    {
        MaybeConcatString(-1, Re2Flags.None);
        DoConcatenation();

        var r1 = _top;
        var r2 = r1?.Down;
        if (r1 is not null && r2 is { Op: Re2Op.VerticalBar })
        {
            // An AnyChar on either side of the bar subsumes a literal, class or AnyChar on the other.
            var r3 = r2.Down;
            if (r3 is not null && (r1.Op == Re2Op.AnyChar || r3.Op == Re2Op.AnyChar))
            {
                if (r3.Op == Re2Op.AnyChar && r1.Op is Re2Op.Literal or Re2Op.CharClass or Re2Op.AnyChar)
                {
                    _top = r2;
                    return;
                }

                if (r1.Op == Re2Op.AnyChar && r3.Op is Re2Op.Literal or Re2Op.CharClass or Re2Op.AnyChar)
                {
                    r1.Down = r3.Down;
                    r2.Down = r1;
                    _top = r2;
                    return;
                }
            }

            r1.Down = r2.Down;
            r2.Down = r1;
            _top = r2;
            return;
        }

        PushSimple(Re2Op.VerticalBar);
    }

    public void DoRightParen(string whole)
    {
        DoAlternation();
        var r1 = _top;
        var r2 = r1?.Down;
        if (r1 is null || r2 is not { Op: Re2Op.LeftParen })
        {
            throw new Re2ParseException("unexpected )", whole);
        }

        _top = r2.Down;
        Flags = r2.Flags;
        if (r2.Cap > 0)
        {
            PushRegexp(new Re2Node(Re2Op.Capture, r2.Flags) { Cap = r2.Cap, Name = r2.Name, Subs = [r1] });
            return;
        }

        PushRegexp(r1);
    }

    public Re2Node DoFinish(string whole)
    {
        DoAlternation();
        var re = _top!;
        if (re.Down is not null)
        {
            throw new Re2ParseException("missing )", whole);
        }

        _top = null;
        return re;
    }

    private void DoConcatenation()
    {
        if (_top is null || _top.IsMarker)
        {
            PushRegexp(new Re2Node(Re2Op.EmptyMatch, Flags));
        }

        DoCollapse(Re2Op.Concat);
    }

    private void DoAlternation()
    {
        DoVerticalBar();
        _top = _top!.Down;
        DoCollapse(Re2Op.Alternate);
    }

    /// <summary>Collapses the operands above the nearest marker into one node, flattening nested ones of the same kind.</summary>
    private void DoCollapse(Re2Op op)
    {
        var items = new List<Re2Node>();
        var sub = _top;
        while (sub is not null && !sub.IsMarker)
        {
            items.Add(sub);
            sub = sub.Down;
        }

        if (items.Count == 1)
        {
            return;
        }

        var subs = new List<Re2Node>();
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (items[i].Op == op)
            {
                subs.AddRange(items[i].Subs);
            }
            else
            {
                subs.Add(items[i]);
            }
        }

        var re = Re2Factoring.ConcatOrAlternate(op, subs, Flags, notes);
        re.Down = sub;
        _top = re;
    }

    /// <summary>RE2's limit on nested counted repetition: 1000 copies of the innermost thing at most.</summary>
    private static int RepetitionBudget(Re2Node re, int budget)
    {
        if (re.Op == Re2Op.Repeat)
        {
            var m = re.Max < 0 ? re.Min : re.Max;
            if (m > 0)
            {
                budget /= m;
            }
        }

        var result = budget;
        foreach (var sub in re.Subs)
        {
            result = Math.Min(result, RepetitionBudget(sub, budget));
        }

        return result;
    }
}
