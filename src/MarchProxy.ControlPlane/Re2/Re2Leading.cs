namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// The leading pieces of an alternation's branches, read and removed in place the way RE2's factoring
/// does (its edits decide the tree's shape, and so the program size).
/// </summary>
internal static class Re2Leading
{
    public static (IReadOnlyList<int> Runes, Re2Flags Flags) LeadingString(Re2Node re)
    {
        while (re.Op == Re2Op.Concat && re.Subs.Count > 0)
        {
            re = re.Subs[0];
        }

        var flags = re.Flags & Re2Flags.FoldCase;
        return re.Op switch
        {
            Re2Op.Literal => ([re.Rune], flags),
            Re2Op.LiteralString => (re.Runes, flags),
            _ => ([], flags),
        };
    }

    /// <summary>Removes the first <paramref name="n"/> runes, editing the nodes in place.</summary>
    public static void RemoveLeadingString(Re2Node re, int n)
    {
        // RE2 keeps at most four levels of concatenation to tidy up afterwards.
        var levels = new List<Re2Node>(4);
        while (re.Op == Re2Op.Concat)
        {
            if (levels.Count < 4)
            {
                levels.Add(re);
            }

            re = re.Subs[0];
        }

        if (re.Op == Re2Op.Literal)
        {
            re.Rune = 0;
            re.Op = Re2Op.EmptyMatch;
        }
        else if (re.Op == Re2Op.LiteralString)
        {
            if (n >= re.Runes.Count)
            {
                re.Runes = [];
                re.Op = Re2Op.EmptyMatch;
            }
            else if (n == re.Runes.Count - 1)
            {
                re.Rune = re.Runes[^1];
                re.Runes = [];
                re.Op = Re2Op.Literal;
            }
            else
            {
                re.Runes = re.Runes.GetRange(n, re.Runes.Count - n);
            }
        }

        for (var d = levels.Count - 1; d >= 0; d--)
        {
            var concat = levels[d];
            if (concat.Subs[0].Op != Re2Op.EmptyMatch)
            {
                continue;
            }

            if (concat.Subs.Count == 2)
            {
                concat.BecomeCopyOf(concat.Subs[1]);
            }
            else
            {
                concat.Subs = concat.Subs.GetRange(1, concat.Subs.Count - 1);
            }
        }
    }

    public static Re2Node? LeadingRegexp(Re2Node re)
    {
        if (re.Op == Re2Op.EmptyMatch)
        {
            return null;
        }

        if (re.Op == Re2Op.Concat && re.Subs.Count >= 2)
        {
            return re.Subs[0].Op == Re2Op.EmptyMatch ? null : re.Subs[0];
        }

        return re;
    }

    public static Re2Node RemoveLeadingRegexp(Re2Node re)
    {
        if (re.Op == Re2Op.EmptyMatch)
        {
            return re;
        }

        if (re.Op == Re2Op.Concat && re.Subs.Count >= 2)
        {
            if (re.Subs[0].Op == Re2Op.EmptyMatch)
            {
                return re;
            }

            if (re.Subs.Count == 2)
            {
                return re.Subs[1];
            }

            re.Subs = re.Subs.GetRange(1, re.Subs.Count - 1);
            return re;
        }

        return new Re2Node(Re2Op.EmptyMatch, re.Flags);
    }
}
