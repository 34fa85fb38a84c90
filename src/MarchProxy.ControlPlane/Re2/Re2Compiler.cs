using System.Runtime.CompilerServices;

namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// Compiles a simplified expression into RE2's instruction graph (UTF-8 byte ranges, with RE2's
/// suffix caching and prefix tries for rune ranges), allocating instructions in the order RE2 does,
/// so that <see cref="Re2Program"/> can count the flattened program exactly.
/// </summary>
internal sealed partial class Re2Compiler
{
    private readonly int _maxInstructions;
    private Re2Inst[] _inst = new Re2Inst[64];
    private int _count;

    private Re2Compiler(int maxInstructions)
    {
        _maxInstructions = maxInstructions;
        Alloc(1);
        _inst[0].Op = Re2InstOp.Fail;
    }

    /// <summary>True when the program outgrew the instruction budget.</summary>
    public bool Failed { get; private set; }

    public Re2Inst[] Instructions => _inst;

    public int Count => _count;

    public uint Start { get; private set; }

    public uint StartUnanchored { get; private set; }

    /// <summary>Compiles <paramref name="re"/> (not yet simplified) as RE2's forward program.</summary>
    public static Re2Compiler Compile(Re2Node re, int maxInstructions)
    {
        var c = new Re2Compiler(maxInstructions);
        var simplified = Re2Simplifier.Simplify(re);
        var anchorStart = IsAnchor(ref simplified, 0, start: true);
        IsAnchor(ref simplified, 0, start: false);

        var all = c.Walk(simplified);
        if (c.Failed)
        {
            return c;
        }

        all = c.Cat(all, c.Match());
        c.Start = all.Begin;
        if (!anchorStart)
        {
            all = c.Cat(c.DotStar(), all);
        }

        c.StartUnanchored = all.Begin;
        if (c.Start == 0 && c.StartUnanchored == 0)
        {
            // Nothing can match: only the fail instruction is kept.
            c._count = 1;
        }

        return c;
    }

    /// <summary>Removes a leading \A (or trailing \z) that anchors the whole expression, as RE2 records it.</summary>
    private static bool IsAnchor(ref Re2Node re, int depth, bool start)
    {
        if (depth >= 4)
        {
            return false;
        }

        switch (re.Op)
        {
            case Re2Op.Concat when re.Subs.Count > 0:
                {
                    var index = start ? 0 : re.Subs.Count - 1;
                    var sub = re.Subs[index];
                    if (!IsAnchor(ref sub, depth + 1, start))
                    {
                        return false;
                    }

                    var subs = re.Subs.ToList();
                    subs[index] = sub;
                    re = Re2Factoring.Concat(subs, re.Flags);
                    return true;
                }

            case Re2Op.Capture:
                {
                    var sub = re.Subs[0];
                    if (!IsAnchor(ref sub, depth + 1, start))
                    {
                        return false;
                    }

                    re = new Re2Node(Re2Op.Capture, re.Flags) { Cap = re.Cap, Subs = [sub] };
                    return true;
                }

            case Re2Op.BeginText when start:
            case Re2Op.EndText when !start:
                re = new Re2Node(Re2Op.EmptyMatch, re.Flags);
                return true;

            default:
                return false;
        }
    }

    private Frag Walk(Re2Node re)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (Failed)
        {
            return default;
        }

        var children = new Frag[re.Subs.Count];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = Walk(re.Subs[i]);
        }

        if (Failed)
        {
            return default;
        }

        switch (re.Op)
        {
            case Re2Op.NoMatch:
                return default;
            case Re2Op.EmptyMatch:
                return Nop();
            case Re2Op.Concat:
                {
                    var f = children[0];
                    for (var i = 1; i < children.Length; i++)
                    {
                        f = Cat(f, children[i]);
                    }

                    return f;
                }

            case Re2Op.Alternate:
                {
                    var f = children[0];
                    for (var i = 1; i < children.Length; i++)
                    {
                        f = Alt(f, children[i]);
                    }

                    return f;
                }

            case Re2Op.Star:
                return Star(children[0], (re.Flags & Re2Flags.NonGreedy) != 0);
            case Re2Op.Plus:
                return Plus(children[0], (re.Flags & Re2Flags.NonGreedy) != 0);
            case Re2Op.Quest:
                return Quest(children[0], (re.Flags & Re2Flags.NonGreedy) != 0);
            case Re2Op.Literal:
                return Literal(re.Rune, (re.Flags & Re2Flags.FoldCase) != 0);
            case Re2Op.LiteralString:
                {
                    Frag f = default;
                    for (var i = 0; i < re.Runes.Count; i++)
                    {
                        var next = Literal(re.Runes[i], (re.Flags & Re2Flags.FoldCase) != 0);
                        f = i == 0 ? next : Cat(f, next);
                    }

                    return f;
                }

            case Re2Op.AnyChar:
                BeginRange();
                AddRuneRange(0, Re2CharClass.MaxRune, false);
                return _runeRange;
            case Re2Op.AnyByte:
                return ByteRange(0x00, 0xFF, false);
            case Re2Op.CharClass:
                return CharClass(re.Class!);
            case Re2Op.Capture:
                return re.Cap < 0 ? children[0] : Capture(children[0], re.Cap);
            case Re2Op.BeginLine or Re2Op.EndLine or Re2Op.BeginText or Re2Op.EndText or Re2Op.WordBoundary or Re2Op.NoWordBoundary:
                return EmptyWidth();
            default:
                Failed = true;
                return default;
        }
    }

    private Frag CharClass(Re2CharClass cls)
    {
        // A class that treats A-Z like a-z compiles its letters once, case-folded.
        var foldAscii = cls.FoldsAscii();
        BeginRange();
        foreach (var (lo, hi) in cls.Ranges)
        {
            if (foldAscii && 'A' <= lo && hi <= 'Z')
            {
                continue;
            }

            var fold = foldAscii
                && !((lo <= 'A' && 'z' <= hi) || hi < 'A' || 'z' < lo || ('Z' < lo && hi < 'a'));
            AddRuneRange(lo, hi, fold);
        }

        return _runeRange;
    }

    private Frag Literal(int rune, bool foldCase)
    {
        if (rune < 0x80)
        {
            return ByteRange(rune, rune, foldCase);
        }

        var bytes = Utf8(rune);
        var f = ByteRange(bytes[0], bytes[0], false);
        for (var i = 1; i < bytes.Length; i++)
        {
            f = Cat(f, ByteRange(bytes[i], bytes[i], false));
        }

        return f;
    }

    /// <summary>UTF-8 as RE2 writes it: surrogate code points are encoded like any other.</summary>
    private static byte[] Utf8(int rune) => rune switch
    {
        < 0x80 => [(byte)rune],
        < 0x800 => [(byte)(0xC0 | (rune >> 6)), (byte)(0x80 | (rune & 0x3F))],
        < 0x10000 => [(byte)(0xE0 | (rune >> 12)), (byte)(0x80 | ((rune >> 6) & 0x3F)), (byte)(0x80 | (rune & 0x3F))],
        _ => [(byte)(0xF0 | (rune >> 18)), (byte)(0x80 | ((rune >> 12) & 0x3F)), (byte)(0x80 | ((rune >> 6) & 0x3F)), (byte)(0x80 | (rune & 0x3F))],
    };

    private int Alloc(int n)
    {
        if (Failed || _count + n > _maxInstructions)
        {
            Failed = true;
            return -1;
        }

        if (_count + n > _inst.Length)
        {
            Array.Resize(ref _inst, Math.Max(_inst.Length * 2, _count + n));
        }

        var id = _count;
        _count += n;
        return id;
    }
}
