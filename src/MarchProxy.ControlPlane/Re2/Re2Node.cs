namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// One node of a parsed expression. Mutable on purpose: the parser and the alternation factoring edit
/// nodes in place (a literal grows into a string, a concatenation loses its first element), as RE2
/// does, and the resulting shapes decide the compiled program's size.
/// </summary>
internal sealed class Re2Node(Re2Op op, Re2Flags flags)
{
    public Re2Op Op { get; set; } = op;

    public Re2Flags Flags { get; set; } = flags;

    public List<Re2Node> Subs { get; set; } = [];

    /// <summary>The rune of a Literal.</summary>
    public int Rune { get; set; }

    /// <summary>The runes of a LiteralString.</summary>
    public List<int> Runes { get; set; } = [];

    public int Min { get; set; }

    /// <summary>-1 means no upper bound.</summary>
    public int Max { get; set; }

    /// <summary>The capture index; -1 for a non-capturing group marker.</summary>
    public int Cap { get; set; }

    public string? Name { get; set; }

    public Re2CharClass? Class { get; set; }

    /// <summary>The next node down the parse stack.</summary>
    public Re2Node? Down { get; set; }

    public bool IsMarker => Op is Re2Op.LeftParen or Re2Op.VerticalBar;

    public static Re2Node Literal(int rune, Re2Flags flags) => new(Re2Op.Literal, flags) { Rune = rune };

    public static Re2Node LiteralString(IReadOnlyList<int> runes, Re2Flags flags)
    {
        if (runes.Count == 0)
        {
            return new Re2Node(Re2Op.EmptyMatch, flags);
        }

        return runes.Count == 1
            ? Literal(runes[0], flags)
            : new Re2Node(Re2Op.LiteralString, flags) { Runes = [.. runes] };
    }

    public static Re2Node WithSubs(Re2Op op, Re2Flags flags, params Re2Node[] subs) => new(op, flags) { Subs = [.. subs] };

    /// <summary>Makes this node a copy of <paramref name="other"/> (RE2 swaps nodes in place).</summary>
    public void BecomeCopyOf(Re2Node other)
    {
        Op = other.Op;
        Flags = other.Flags;
        Subs = other.Subs;
        Rune = other.Rune;
        Runes = other.Runes;
        Min = other.Min;
        Max = other.Max;
        Cap = other.Cap;
        Name = other.Name;
        Class = other.Class;
    }

    /// <summary>Structural equality, as RE2 compares nodes when it factors and coalesces.</summary>
    public static bool Equal(Re2Node a, Re2Node b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (!TopEqual(a, b))
        {
            return false;
        }

        for (var i = 0; i < a.Subs.Count; i++)
        {
            if (!Equal(a.Subs[i], b.Subs[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TopEqual(Re2Node a, Re2Node b)
    {
        if (a.Op != b.Op)
        {
            return false;
        }

        return a.Op switch
        {
            Re2Op.EndText => ((a.Flags ^ b.Flags) & Re2Flags.WasDollar) == 0,
            Re2Op.Literal => a.Rune == b.Rune && ((a.Flags ^ b.Flags) & Re2Flags.FoldCase) == 0,
            Re2Op.LiteralString => ((a.Flags ^ b.Flags) & Re2Flags.FoldCase) == 0 && a.Runes.SequenceEqual(b.Runes),
            Re2Op.Alternate or Re2Op.Concat => a.Subs.Count == b.Subs.Count,
            Re2Op.Star or Re2Op.Plus or Re2Op.Quest => ((a.Flags ^ b.Flags) & Re2Flags.NonGreedy) == 0,
            Re2Op.Repeat => ((a.Flags ^ b.Flags) & Re2Flags.NonGreedy) == 0 && a.Min == b.Min && a.Max == b.Max,
            Re2Op.Capture => a.Cap == b.Cap && string.Equals(a.Name, b.Name, StringComparison.Ordinal),
            Re2Op.CharClass => a.Class!.SameRanges(b.Class!),
            _ => true,
        };
    }
}
