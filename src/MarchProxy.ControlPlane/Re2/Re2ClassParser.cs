namespace MarchProxy.ControlPlane.Re2;

/// <summary>Character classes, escapes and the named groups (Perl, POSIX) of RE2's syntax.</summary>
internal static class Re2ClassParser
{
    private static readonly (int Lo, int Hi)[] Digits = [('0', '9')];
    private static readonly (int Lo, int Hi)[] Space = [('\t', '\n'), ('\f', '\r'), (' ', ' ')];
    private static readonly (int Lo, int Hi)[] Word = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];

    private static readonly Dictionary<string, (int Lo, int Hi)[]> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = [('0', '9'), ('A', 'Z'), ('a', 'z')],
        ["alpha"] = [('A', 'Z'), ('a', 'z')],
        ["ascii"] = [(0, 0x7F)],
        ["blank"] = [('\t', '\t'), (' ', ' ')],
        ["cntrl"] = [(0, 0x1F), (0x7F, 0x7F)],
        ["digit"] = [('0', '9')],
        ["graph"] = [('!', '~')],
        ["lower"] = [('a', 'z')],
        ["print"] = [(' ', '~')],
        ["punct"] = [('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        ["space"] = [('\t', '\r'), (' ', ' ')],
        ["upper"] = [('A', 'Z')],
        ["word"] = [('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
        ["xdigit"] = [('0', '9'), ('A', 'F'), ('a', 'f')],
    };

    /// <summary>Parses [...] starting at the '['; leaves <paramref name="pos"/> after the ']'.</summary>
    public static Re2Node ParseClass(int[] runes, ref int pos, Re2Flags flags, Re2Unsupported notes)
    {
        var start = pos;
        var cls = new Re2CharClass();
        var node = new Re2Node(Re2Op.CharClass, flags & ~Re2Flags.FoldCase) { Class = cls };
        pos++;
        var negated = false;
        if (pos < runes.Length && runes[pos] == '^')
        {
            pos++;
            negated = true;
            if ((flags & Re2Flags.ClassNL) == 0 || (flags & Re2Flags.NeverNL) != 0)
            {
                cls.AddRange('\n', '\n');
            }
        }

        var first = true;
        while (pos < runes.Length && (runes[pos] != ']' || first))
        {
            // Perl syntax (always on here) allows an unescaped '-' anywhere.
            first = false;
            var remaining = runes.Length - pos;
            if (remaining > 2 && runes[pos] == '[' && runes[pos + 1] == ':' && TryParsePosixName(runes, ref pos, cls, flags, notes))
            {
                continue;
            }

            if (remaining > 2 && runes[pos] == '\\' && runes[pos + 1] is 'p' or 'P')
            {
                ParseUnicodeGroup(runes, ref pos, notes);
                continue;
            }

            if (PerlGroup(runes, pos) is { } group)
            {
                AddGroup(cls, group.Ranges, group.Sign, flags, notes);
                pos += 2;
                continue;
            }

            var lo = ParseClassChar(runes, ref pos, start);
            var hi = lo;
            if (runes.Length - pos >= 2 && runes[pos] == '-' && runes[pos + 1] != ']')
            {
                var rangeStart = pos - 1;
                pos++;
                hi = ParseClassChar(runes, ref pos, start);
                if (hi < lo)
                {
                    throw new Re2ParseException("invalid character class range", Describe(runes, rangeStart, pos));
                }
            }

            AddRange(cls, lo, hi, flags | Re2Flags.ClassNL, notes);
        }

        if (pos >= runes.Length)
        {
            throw new Re2ParseException("missing ]", Describe(runes, start, runes.Length));
        }

        pos++;
        if (negated)
        {
            cls.Negate();
        }

        return node;
    }

    /// <summary>\d \s \w \D \S \W at <paramref name="pos"/>, or null.</summary>
    public static ((int Lo, int Hi)[] Ranges, int Sign)? PerlGroup(int[] runes, int pos)
    {
        if (runes.Length - pos < 2 || runes[pos] != '\\')
        {
            return null;
        }

        return runes[pos + 1] switch
        {
            'd' => (Digits, 1),
            'D' => (Digits, -1),
            's' => (Space, 1),
            'S' => (Space, -1),
            'w' => (Word, 1),
            'W' => (Word, -1),
            _ => null,
        };
    }

    /// <summary>Adds a named group (Sign 1) or its complement (Sign -1).</summary>
    public static void AddGroup(Re2CharClass cls, (int Lo, int Hi)[] ranges, int sign, Re2Flags flags, Re2Unsupported notes)
    {
        if (sign > 0)
        {
            foreach (var (lo, hi) in ranges)
            {
                AddRange(cls, lo, hi, flags, notes);
            }

            return;
        }

        if ((flags & Re2Flags.FoldCase) != 0)
        {
            // Fold first, then negate: the complement must also leave out the folded runes.
            var folded = new Re2CharClass();
            AddGroup(folded, ranges, 1, flags, notes);
            if ((flags & Re2Flags.ClassNL) == 0 || (flags & Re2Flags.NeverNL) != 0)
            {
                folded.AddRange('\n', '\n');
            }

            folded.Negate();
            cls.AddClass(folded);
            return;
        }

        var next = 0;
        foreach (var (lo, hi) in ranges)
        {
            if (next < lo)
            {
                AddRange(cls, next, lo - 1, flags, notes);
            }

            next = hi + 1;
        }

        if (next <= Re2CharClass.MaxRune)
        {
            AddRange(cls, next, Re2CharClass.MaxRune, flags, notes);
        }
    }

    /// <summary>
    /// \p{Name}, \pN and \P…: an unknown name is an error; a known one is noted as unsupported (its
    /// program size needs Unicode's tables, and is almost always over Envoy's limit) and adds nothing.
    /// </summary>
    public static void ParseUnicodeGroup(int[] runes, ref int pos, Re2Unsupported notes)
    {
        var start = pos;
        pos += 2;
        string name;
        if (pos >= runes.Length)
        {
            name = string.Empty;
        }
        else if (runes[pos] != '{')
        {
            name = char.ConvertFromUtf32(runes[pos]);
            pos++;
        }
        else
        {
            var end = Array.IndexOf(runes, '}', pos);
            if (end < 0)
            {
                throw new Re2ParseException("invalid character class range", Describe(runes, start, runes.Length));
            }

            name = Describe(runes, pos + 1, end);
            pos = end + 1;
        }

        if (name.StartsWith('^'))
        {
            name = name[1..];
        }

        if (Re2UnicodeGroups.Contains(name))
        {
            notes.Note("a Unicode class (\\p{…})");
            return;
        }

        throw new Re2ParseException("invalid character class range", Describe(runes, start, pos));
    }

    private static bool TryParsePosixName(int[] runes, ref int pos, Re2CharClass cls, Re2Flags flags, Re2Unsupported notes)
    {
        var q = pos + 2;
        while (q + 1 < runes.Length && !(runes[q] == ':' && runes[q + 1] == ']'))
        {
            q++;
        }

        if (q + 1 >= runes.Length)
        {
            return false;
        }

        var text = Describe(runes, pos, q + 2);
        var negated = runes[pos + 2] == '^';
        var name = Describe(runes, pos + (negated ? 3 : 2), q);
        if (!Posix.TryGetValue(name, out var ranges))
        {
            throw new Re2ParseException("invalid character class range", text);
        }

        AddGroup(cls, ranges, negated ? -1 : 1, flags, notes);
        pos = q + 2;
        return true;
    }

    private static int ParseClassChar(int[] runes, ref int pos, int classStart)
    {
        if (pos >= runes.Length)
        {
            throw new Re2ParseException("missing ]", Describe(runes, classStart, runes.Length));
        }

        return runes[pos] == '\\' ? Re2Escapes.Parse(runes, ref pos) : runes[pos++];
    }

    /// <summary>Adds lo-hi, case-folded when the flags ask for it.</summary>
    private static void AddRange(Re2CharClass cls, int lo, int hi, Re2Flags flags, Re2Unsupported notes)
    {
        var cutNewline = (flags & Re2Flags.ClassNL) == 0 || (flags & Re2Flags.NeverNL) != 0;
        if (cutNewline && lo <= '\n' && '\n' <= hi)
        {
            if (lo < '\n')
            {
                AddRange(cls, lo, '\n' - 1, flags, notes);
            }

            if (hi > '\n')
            {
                AddRange(cls, '\n' + 1, hi, flags, notes);
            }

            return;
        }

        if ((flags & Re2Flags.FoldCase) != 0)
        {
            Re2CaseFold.AddFolded(cls, lo, hi, notes);
        }
        else
        {
            cls.AddRange(lo, hi);
        }
    }

    public static string Describe(int[] runes, int from, int to) =>
        string.Concat(runes.Skip(from).Take(Math.Max(0, Math.Min(to, runes.Length) - from)).Select(char.ConvertFromUtf32));
}
