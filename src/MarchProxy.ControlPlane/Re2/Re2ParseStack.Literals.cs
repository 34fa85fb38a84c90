namespace MarchProxy.ControlPlane.Re2;

/// <summary>Literals: case-folded orbits become classes, and adjacent literals merge into strings.</summary>
internal sealed partial class Re2ParseStack
{
    public void PushLiteral(int rune)
    {
        if ((Flags & Re2Flags.FoldCase) != 0)
        {
            var orbit = Re2CaseFold.Orbit(rune, notes);
            if (orbit.Length > 1)
            {
                var cls = new Re2CharClass();
                foreach (var r in orbit)
                {
                    if ((Flags & Re2Flags.NeverNL) == 0 || r != '\n')
                    {
                        cls.AddRange(r, r);
                    }
                }

                PushRegexp(new Re2Node(Re2Op.CharClass, Flags & ~Re2Flags.FoldCase) { Class = cls });
                return;
            }
        }

        if ((Flags & Re2Flags.NeverNL) != 0 && rune == '\n')
        {
            PushRegexp(new Re2Node(Re2Op.NoMatch, Flags));
            return;
        }

        if (MaybeConcatString(rune, Flags))
        {
            return;
        }

        PushRegexp(Re2Node.Literal(rune, Flags));
    }

    /// <summary>
    /// When the top two operands are literals or strings with the same case folding, merges them; then,
    /// when <paramref name="rune"/> is not -1, reuses the freed node for it. Returns true in that case.
    /// </summary>
    private bool MaybeConcatString(int rune, Re2Flags flags)
    {
        var re1 = _top;
        var re2 = re1?.Down;
        if (re1 is null || re2 is null
            || re1.Op is not (Re2Op.Literal or Re2Op.LiteralString)
            || re2.Op is not (Re2Op.Literal or Re2Op.LiteralString)
            || (re1.Flags & Re2Flags.FoldCase) != (re2.Flags & Re2Flags.FoldCase))
        {
            return false;
        }

        if (re2.Op == Re2Op.Literal)
        {
            re2.Op = Re2Op.LiteralString;
            re2.Runes = [re2.Rune];
        }

        if (re1.Op == Re2Op.Literal)
        {
            re2.Runes.Add(re1.Rune);
        }
        else
        {
            re2.Runes.AddRange(re1.Runes);
            re1.Runes = [];
        }

        if (rune >= 0)
        {
            re1.Op = Re2Op.Literal;
            re1.Rune = rune;
            re1.Flags = flags;
            return true;
        }

        _top = re2;
        return false;
    }
}
