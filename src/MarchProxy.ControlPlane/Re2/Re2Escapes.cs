namespace MarchProxy.ControlPlane.Re2;

/// <summary>Escape sequences: \n, \x41, \x{263a}, octal \101, and escaped punctuation.</summary>
internal static class Re2Escapes
{
    /// <summary>An escape sequence such as \n, \x41, \x{263a}, \101 or \.; leaves <paramref name="pos"/> after it.</summary>
    public static int Parse(int[] runes, ref int pos)
    {
        var begin = pos;
        if (pos + 1 >= runes.Length)
        {
            throw new Re2ParseException("trailing \\", string.Empty);
        }

        pos++;
        var c = runes[pos++];
        switch (c)
        {
            case >= '1' and <= '7' when pos >= runes.Length || runes[pos] is < '0' or > '7':
                // A single non-zero digit would be a backreference.
                throw BadEscape(runes, begin, pos);
            case >= '0' and <= '7':
                var code = c - '0';
                for (var i = 0; i < 2 && pos < runes.Length && runes[pos] is >= '0' and <= '7'; i++)
                {
                    code = (code * 8) + runes[pos++] - '0';
                }

                return code;
            case 'x':
                return ParseHex(runes, ref pos, begin);
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'a':
                return '\a';
            case 'f':
                return '\f';
            case 'v':
                return '\v';
            case < 0x80 when !char.IsAsciiLetterOrDigit((char)c):
                return c;
            default:
                throw BadEscape(runes, begin, pos);
        }
    }

    private static int ParseHex(int[] runes, ref int pos, int begin)
    {
        if (pos >= runes.Length)
        {
            throw BadEscape(runes, begin, pos);
        }

        var c = runes[pos++];
        if (c == '{')
        {
            if (pos >= runes.Length)
            {
                // RE2 reports this one as a decoding error.
                throw new Re2ParseException("invalid UTF-8", string.Empty);
            }

            c = runes[pos++];
            var digits = 0;
            var code = 0;
            while (IsHex(c))
            {
                digits++;
                code = (code * 16) + HexValue(c);
                if (code > Re2CharClass.MaxRune || pos >= runes.Length)
                {
                    throw BadEscape(runes, begin, pos);
                }

                c = runes[pos++];
            }

            if (c != '}' || digits == 0)
            {
                throw BadEscape(runes, begin, pos);
            }

            return code;
        }

        if (pos >= runes.Length)
        {
            throw BadEscape(runes, begin, pos);
        }

        var c1 = runes[pos++];
        if (!IsHex(c) || !IsHex(c1))
        {
            throw BadEscape(runes, begin, pos);
        }

        return (HexValue(c) * 16) + HexValue(c1);
    }

    private static Re2ParseException BadEscape(int[] runes, int from, int to) =>
        new("invalid escape sequence", Re2ClassParser.Describe(runes, from, to));

    private static bool IsHex(int c) => c is >= '0' and <= '9' or >= 'a' and <= 'f' or >= 'A' and <= 'F';

    private static int HexValue(int c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
