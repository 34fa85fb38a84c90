using System.Runtime.CompilerServices;

namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// RE2's simplification before compiling: runs like <c>a*a</c> coalesce into counted repeats, counted
/// repeats expand into copies (<c>x{2,4}</c> → <c>xx(x(x)?)?</c>), empty and full classes become
/// no-match and any-char.
/// </summary>
internal static class Re2Simplifier
{
    public static Re2Node Simplify(Re2Node re) => SimplifyNode(Coalesce(re));

    private static Re2Node Coalesce(Re2Node re)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (re.Subs.Count == 0)
        {
            return re;
        }

        var children = re.Subs.Select(Coalesce).ToList();
        var changed = !children.SequenceEqual(re.Subs, ReferenceEqualityComparer.Instance);
        if (re.Op != Re2Op.Concat)
        {
            return changed ? new Re2Node(re.Op, re.Flags) { Subs = children, Min = re.Min, Max = re.Max, Cap = re.Cap } : re;
        }

        var canCoalesce = false;
        for (var i = 0; i + 1 < children.Count && !canCoalesce; i++)
        {
            canCoalesce = CanCoalesce(children[i], children[i + 1]);
        }

        if (!canCoalesce)
        {
            return changed ? new Re2Node(Re2Op.Concat, re.Flags) { Subs = children } : re;
        }

        for (var i = 0; i + 1 < children.Count; i++)
        {
            if (CanCoalesce(children[i], children[i + 1]))
            {
                DoCoalesce(children, i);
            }
        }

        return new Re2Node(Re2Op.Concat, re.Flags) { Subs = [.. children.Where(c => c.Op != Re2Op.EmptyMatch)] };
    }

    private static bool IsRepeatOfSingle(Re2Node re) =>
        re.Op is Re2Op.Star or Re2Op.Plus or Re2Op.Quest or Re2Op.Repeat
        && re.Subs[0].Op is Re2Op.Literal or Re2Op.CharClass or Re2Op.AnyChar or Re2Op.AnyByte;

    private static bool CanCoalesce(Re2Node r1, Re2Node r2)
    {
        if (!IsRepeatOfSingle(r1))
        {
            return false;
        }

        var single = r1.Subs[0];
        if (r2.Op is Re2Op.Star or Re2Op.Plus or Re2Op.Quest or Re2Op.Repeat
            && Re2Node.Equal(single, r2.Subs[0])
            && ((r1.Flags ^ r2.Flags) & Re2Flags.NonGreedy) == 0)
        {
            return true;
        }

        if (Re2Node.Equal(single, r2))
        {
            return true;
        }

        return single.Op == Re2Op.Literal && r2.Op == Re2Op.LiteralString && r2.Runes[0] == single.Rune
            && ((single.Flags ^ r2.Flags) & Re2Flags.FoldCase) == 0;
    }

    /// <summary>Merges children[i] into children[i + 1]; children[i] becomes an empty match (or the repeat).</summary>
    private static void DoCoalesce(List<Re2Node> children, int i)
    {
        var r1 = children[i];
        var r2 = children[i + 1];
        var repeat = new Re2Node(Re2Op.Repeat, r1.Flags) { Subs = [r1.Subs[0]] };
        (repeat.Min, repeat.Max) = r1.Op switch
        {
            Re2Op.Star => (0, -1),
            Re2Op.Plus => (1, -1),
            Re2Op.Quest => (0, 1),
            _ => (r1.Min, r1.Max),
        };

        switch (r2.Op)
        {
            case Re2Op.Star:
                repeat.Max = -1;
                break;
            case Re2Op.Plus:
                repeat.Min++;
                repeat.Max = -1;
                break;
            case Re2Op.Quest:
                if (repeat.Max != -1)
                {
                    repeat.Max++;
                }

                break;
            case Re2Op.Repeat:
                repeat.Min += r2.Min;
                repeat.Max = r2.Max == -1 ? -1 : repeat.Max == -1 ? -1 : repeat.Max + r2.Max;
                break;
            case Re2Op.LiteralString:
                var n = 1;
                while (n < r2.Runes.Count && r2.Runes[n] == r1.Subs[0].Rune)
                {
                    n++;
                }

                repeat.Min += n;
                if (repeat.Max != -1)
                {
                    repeat.Max += n;
                }

                if (n < r2.Runes.Count)
                {
                    children[i] = repeat;
                    children[i + 1] = Re2Node.LiteralString(r2.Runes.GetRange(n, r2.Runes.Count - n), r2.Flags);
                    return;
                }

                break;
            default:
                repeat.Min++;
                if (repeat.Max != -1)
                {
                    repeat.Max++;
                }

                break;
        }

        children[i] = new Re2Node(Re2Op.EmptyMatch, Re2Flags.None);
        children[i + 1] = repeat;
    }

    private static Re2Node SimplifyNode(Re2Node re)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (re.Op)
        {
            case Re2Op.Concat or Re2Op.Alternate:
                {
                    var children = re.Subs.Select(SimplifyNode).ToList();
                    return children.SequenceEqual(re.Subs, ReferenceEqualityComparer.Instance)
                        ? re
                        : new Re2Node(re.Op, re.Flags) { Subs = children };
                }

            case Re2Op.Capture:
                {
                    var sub = SimplifyNode(re.Subs[0]);
                    return ReferenceEquals(sub, re.Subs[0]) ? re : new Re2Node(Re2Op.Capture, re.Flags) { Cap = re.Cap, Subs = [sub] };
                }

            case Re2Op.Star or Re2Op.Plus or Re2Op.Quest:
                {
                    var sub = SimplifyNode(re.Subs[0]);
                    if (sub.Op == Re2Op.EmptyMatch)
                    {
                        return sub;
                    }

                    if (ReferenceEquals(sub, re.Subs[0]))
                    {
                        return re;
                    }

                    return re.Op == sub.Op && re.Flags == sub.Flags ? sub : new Re2Node(re.Op, re.Flags) { Subs = [sub] };
                }

            case Re2Op.Repeat:
                {
                    var sub = SimplifyNode(re.Subs[0]);
                    return sub.Op == Re2Op.EmptyMatch ? sub : SimplifyRepeat(sub, re.Min, re.Max, re.Flags);
                }

            case Re2Op.CharClass:
                if (re.Class!.IsEmpty)
                {
                    return new Re2Node(Re2Op.NoMatch, re.Flags);
                }

                return re.Class.IsFull ? new Re2Node(Re2Op.AnyChar, re.Flags) : re;

            default:
                return re;
        }
    }

    /// <summary>x{n,m} as n copies of x followed by nested optional copies: x{2,4} → xx(x(x)?)?.</summary>
    private static Re2Node SimplifyRepeat(Re2Node re, int min, int max, Re2Flags flags)
    {
        if (max == -1)
        {
            if (min == 0)
            {
                return StarPlusOrQuest(Re2Op.Star, re, flags);
            }

            if (min == 1)
            {
                return StarPlusOrQuest(Re2Op.Plus, re, flags);
            }

            var subs = Enumerable.Repeat(re, min - 1).ToList();
            subs.Add(StarPlusOrQuest(Re2Op.Plus, re, flags));
            return Re2Factoring.Concat(subs, flags);
        }

        if (min == 0 && max == 0)
        {
            return new Re2Node(Re2Op.EmptyMatch, flags);
        }

        if (min == 1 && max == 1)
        {
            return re;
        }

        Re2Node? result = min > 0 ? Re2Factoring.Concat(Enumerable.Repeat(re, min).ToList(), flags) : null;
        if (max > min)
        {
            var suffix = StarPlusOrQuest(Re2Op.Quest, re, flags);
            for (var i = min + 1; i < max; i++)
            {
                suffix = StarPlusOrQuest(Re2Op.Quest, Re2Node.WithSubs(Re2Op.Concat, flags, re, suffix), flags);
            }

            result = result is null ? suffix : Re2Node.WithSubs(Re2Op.Concat, flags, result, suffix);
        }

        return result ?? new Re2Node(Re2Op.NoMatch, flags);
    }

    /// <summary>RE2's constructor for *, + and ?: the same operator twice is one; mixed ones become *.</summary>
    private static Re2Node StarPlusOrQuest(Re2Op op, Re2Node sub, Re2Flags flags)
    {
        if (op == sub.Op && flags == sub.Flags)
        {
            return sub;
        }

        if (sub.Op is Re2Op.Star or Re2Op.Plus or Re2Op.Quest && flags == sub.Flags)
        {
            return sub.Op == Re2Op.Star ? sub : Re2Node.WithSubs(Re2Op.Star, flags, sub.Subs[0]);
        }

        return Re2Node.WithSubs(op, flags, sub);
    }
}
