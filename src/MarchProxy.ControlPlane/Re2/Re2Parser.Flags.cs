namespace MarchProxy.ControlPlane.Re2;

/// <summary>Perl's flag groups and Python's named captures.</summary>
internal sealed partial class Re2Parser
{
    /// <summary>(?flags), (?flags:…) and (?P&lt;name&gt;…).</summary>
    private void ParsePerlFlags()
    {
        var start = _pos;
        var t = _pos + 2;
        if (_runes.Length - t > 2 && _runes[t] == 'P' && _runes[t + 1] == '<')
        {
            var end = Array.IndexOf(_runes, '>', t + 2);
            if (end < 0)
            {
                throw new Re2ParseException("invalid named capture group", Text(start, _runes.Length));
            }

            var name = Text(t + 2, end);
            if (!IsValidCaptureName(name, _notes))
            {
                throw new Re2ParseException("invalid named capture group", Text(start, end + 1));
            }

            _stack.DoLeftParen(name);
            _pos = end + 1;
            return;
        }

        var negated = false;
        var sawFlags = false;
        var flags = Flags;
        for (var done = false; !done;)
        {
            if (t >= _runes.Length)
            {
                throw new Re2ParseException("invalid perl operator", Text(start, t));
            }

            var c = _runes[t++];
            switch (c)
            {
                case 'i':
                    sawFlags = true;
                    flags = negated ? flags & ~Re2Flags.FoldCase : flags | Re2Flags.FoldCase;
                    break;
                case 'm':
                    // RE2's OneLine is the opposite of Perl's m.
                    sawFlags = true;
                    flags = negated ? flags | Re2Flags.OneLine : flags & ~Re2Flags.OneLine;
                    break;
                case 's':
                    sawFlags = true;
                    flags = negated ? flags & ~Re2Flags.DotNL : flags | Re2Flags.DotNL;
                    break;
                case 'U':
                    sawFlags = true;
                    flags = negated ? flags & ~Re2Flags.NonGreedy : flags | Re2Flags.NonGreedy;
                    break;
                case '-':
                    if (negated)
                    {
                        throw new Re2ParseException("invalid perl operator", Text(start, t));
                    }

                    negated = true;
                    sawFlags = false;
                    break;
                case ':':
                    _stack.DoLeftParenNoCapture();
                    done = true;
                    break;
                case ')':
                    done = true;
                    break;
                default:
                    throw new Re2ParseException("invalid perl operator", Text(start, t));
            }
        }

        if (negated && !sawFlags)
        {
            throw new Re2ParseException("invalid perl operator", Text(start, t));
        }

        _stack.Flags = flags;
        _pos = t;
    }

    /// <summary>
    /// RE2 takes letters, digits, marks and connector punctuation; for ASCII that is [0-9A-Za-z_]. Other
    /// names depend on RE2's Unicode tables, so they are not accepted here.
    /// </summary>
    private static bool IsValidCaptureName(string name, Re2Unsupported notes)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c >= 0x80)
            {
                notes.Note("a capture name with non-ASCII characters");
                return true;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
