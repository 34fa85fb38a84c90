namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// Builds concatenations and alternations, factoring alternations as RE2 does: common literal
/// prefixes first (<c>abc|abd</c> → <c>ab(?:c|d)</c>), then common simple leading pieces, then runs
/// of literals and classes merged into one class.
/// </summary>
internal static class Re2Factoring
{
    public static Re2Node ConcatOrAlternate(Re2Op op, List<Re2Node> subs, Re2Flags flags, Re2Unsupported? notes)
    {
        if (subs.Count == 1)
        {
            return subs[0];
        }

        if (subs.Count == 0)
        {
            return new Re2Node(op == Re2Op.Alternate ? Re2Op.NoMatch : Re2Op.EmptyMatch, flags);
        }

        if (op == Re2Op.Alternate && notes is not null)
        {
            subs = Factor(subs, flags, notes);
            if (subs.Count == 1)
            {
                return subs[0];
            }
        }

        return new Re2Node(op, flags) { Subs = subs };
    }

    /// <summary>A concatenation (never factored); one element is returned as it is.</summary>
    public static Re2Node Concat(List<Re2Node> subs, Re2Flags flags) => ConcatOrAlternate(Re2Op.Concat, subs, flags, null);

    private static List<Re2Node> Factor(List<Re2Node> subs, Re2Flags flags, Re2Unsupported notes)
    {
        subs = FactorLeadingStrings(subs, flags, notes);
        subs = FactorLeadingPieces(subs, flags, notes);
        return MergeLiteralsAndClasses(subs, flags, notes);
    }

    /// <summary>Round 1: runs that share a leading literal string.</summary>
    private static List<Re2Node> FactorLeadingStrings(List<Re2Node> subs, Re2Flags flags, Re2Unsupported notes)
    {
        var result = new List<Re2Node>(subs.Count);
        var start = 0;
        IReadOnlyList<int> runes = [];
        var count = 0;
        var runeFlags = Re2Flags.None;
        for (var i = 0; i <= subs.Count; i++)
        {
            IReadOnlyList<int> runesI = [];
            var flagsI = Re2Flags.None;
            if (i < subs.Count)
            {
                (runesI, flagsI) = Re2Leading.LeadingString(subs[i]);
                if (flagsI == runeFlags)
                {
                    var same = 0;
                    while (same < count && same < runesI.Count && runes[same] == runesI[same])
                    {
                        same++;
                    }

                    if (same > 0)
                    {
                        count = same;
                        continue;
                    }
                }
            }

            if (i - start >= 2)
            {
                var prefix = Re2Node.LiteralString([.. runes.Take(count)], runeFlags);
                var run = subs.GetRange(start, i - start);
                foreach (var item in run)
                {
                    Re2Leading.RemoveLeadingString(item, count);
                }

                result.Add(Splice(prefix, Factor(run, flags, notes), flags));
            }
            else if (i - start == 1)
            {
                result.Add(subs[start]);
            }

            if (i < subs.Count)
            {
                start = i;
                runes = runesI;
                count = runesI.Count;
                runeFlags = flagsI;
            }
        }

        return result;
    }

    /// <summary>Round 2: runs that begin with the same simple piece (an anchor, a class, a fixed repeat).</summary>
    private static List<Re2Node> FactorLeadingPieces(List<Re2Node> subs, Re2Flags flags, Re2Unsupported notes)
    {
        var result = new List<Re2Node>(subs.Count);
        var start = 0;
        Re2Node? first = null;
        for (var i = 0; i <= subs.Count; i++)
        {
            Re2Node? firstI = null;
            if (i < subs.Count)
            {
                firstI = Re2Leading.LeadingRegexp(subs[i]);
                if (first is not null && firstI is not null && CanFactorPiece(first) && Re2Node.Equal(first, firstI))
                {
                    continue;
                }
            }

            if (i - start >= 2)
            {
                var run = subs.GetRange(start, i - start);
                for (var j = 0; j < run.Count; j++)
                {
                    run[j] = Re2Leading.RemoveLeadingRegexp(run[j]);
                }

                result.Add(Splice(first!, Factor(run, flags, notes), flags));
            }
            else if (i - start == 1)
            {
                result.Add(subs[start]);
            }

            if (i < subs.Count)
            {
                start = i;
                first = firstI;
            }
        }

        return result;
    }

    /// <summary>Round 3: runs of literals and classes become one class.</summary>
    private static List<Re2Node> MergeLiteralsAndClasses(List<Re2Node> subs, Re2Flags flags, Re2Unsupported notes)
    {
        var result = new List<Re2Node>(subs.Count);
        var start = 0;
        for (var i = 0; i <= subs.Count; i++)
        {
            if (i < subs.Count && i > start && IsLiteralOrClass(subs[start]) && IsLiteralOrClass(subs[i]))
            {
                continue;
            }

            if (i - start >= 2)
            {
                var cls = new Re2CharClass();
                foreach (var item in subs.GetRange(start, i - start))
                {
                    if (item.Op == Re2Op.CharClass)
                    {
                        cls.AddClass(item.Class!);
                    }
                    else
                    {
                        AddLiteral(cls, item, notes);
                    }
                }

                result.Add(new Re2Node(Re2Op.CharClass, flags) { Class = cls });
            }
            else if (i - start == 1)
            {
                result.Add(subs[start]);
            }

            start = i;
        }

        return result;
    }

    private static void AddLiteral(Re2CharClass cls, Re2Node literal, Re2Unsupported notes)
    {
        if ((literal.Flags & Re2Flags.FoldCase) == 0)
        {
            cls.AddRange(literal.Rune, literal.Rune);
            return;
        }

        // RE2 releases differ when a folded letter meets its own unfolded form here (older ones stop at
        // the rune already present and leave out the other case), so the size would depend on Envoy's build.
        var orbit = Re2CaseFold.Orbit(literal.Rune, notes);
        var present = orbit.Count(cls.Contains);
        if (present == orbit.Length)
        {
            return;
        }

        if (present > 0)
        {
            notes.Note("an alternation of a letter both with and without (?i)");
        }

        Re2CaseFold.AddFolded(cls, literal.Rune, literal.Rune, notes);
    }

    private static bool IsLiteralOrClass(Re2Node re) => re.Op is Re2Op.Literal or Re2Op.CharClass;

    private static Re2Node Splice(Re2Node prefix, List<Re2Node> suffixes, Re2Flags flags) =>
        Concat([prefix, ConcatOrAlternate(Re2Op.Alternate, suffixes, flags, null)], flags);

    private static bool CanFactorPiece(Re2Node first) =>
        first.Op is Re2Op.BeginLine or Re2Op.EndLine or Re2Op.WordBoundary or Re2Op.NoWordBoundary
            or Re2Op.BeginText or Re2Op.EndText or Re2Op.CharClass or Re2Op.AnyChar or Re2Op.AnyByte
        || (first.Op == Re2Op.Repeat && first.Min == first.Max
            && first.Subs[0].Op is Re2Op.Literal or Re2Op.CharClass or Re2Op.AnyChar or Re2Op.AnyByte);
}
