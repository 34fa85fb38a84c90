using System.Text;

namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// Parses an expression with RE2's syntax (RE2's default options, as Envoy compiles <c>safe_regex</c>):
/// Perl classes, <c>\b</c>, <c>(?flags)</c>, <c>(?P&lt;name&gt;…)</c>, <c>\Q…\E</c>, <c>\C</c>, counted
/// repetition up to 1000. Throws <see cref="Re2ParseException"/> for what RE2 refuses, and notes in
/// <see cref="Re2Unsupported"/> what this checker cannot size.
/// </summary>
internal sealed partial class Re2Parser
{
    private readonly int[] _runes;
    private readonly string _pattern;
    private readonly Re2Unsupported _notes;
    private readonly Re2ParseStack _stack;
    private int _pos;

    private Re2Parser(string pattern, int[] runes, Re2Unsupported notes)
    {
        _pattern = pattern;
        _runes = runes;
        _notes = notes;
        _stack = new Re2ParseStack(Re2Flags.Default, notes);
    }

    public static Re2Node Parse(string pattern, Re2Unsupported notes) => new Re2Parser(pattern, ToRunes(pattern), notes).Run();

    private int Remaining => _runes.Length - _pos;

    private Re2Flags Flags => _stack.Flags;

    private Re2Node Run()
    {
        var lastUnary = -1;
        while (_pos < _runes.Length)
        {
            var unary = -1;
            var c = _runes[_pos];
            switch (c)
            {
                case '(':
                    if ((Flags & Re2Flags.PerlX) != 0 && Remaining >= 2 && _runes[_pos + 1] == '?')
                    {
                        ParsePerlFlags();
                        break;
                    }

                    _stack.DoLeftParen(null);
                    _pos++;
                    break;
                case '|':
                    _stack.DoVerticalBar();
                    _pos++;
                    break;
                case ')':
                    _stack.DoRightParen(_pattern);
                    _pos++;
                    break;
                case '^':
                    _stack.PushCaret();
                    _pos++;
                    break;
                case '$':
                    _stack.PushDollar();
                    _pos++;
                    break;
                case '.':
                    _stack.PushDot();
                    _pos++;
                    break;
                case '[':
                    _stack.PushRegexp(Re2ClassParser.ParseClass(_runes, ref _pos, Flags, _notes));
                    break;
                case '*' or '+' or '?':
                    unary = ParseRepeatOp(c, lastUnary);
                    break;
                case '{':
                    unary = ParseCountedRepeat(lastUnary);
                    break;
                case '\\':
                    ParseBackslash();
                    break;
                default:
                    _stack.PushLiteral(c);
                    _pos++;
                    break;
            }

            lastUnary = unary;
        }

        return _stack.DoFinish(_pattern);
    }

    private int ParseRepeatOp(int c, int lastUnary)
    {
        var start = _pos;
        _pos++;
        var nonGreedy = false;
        if ((Flags & Re2Flags.PerlX) != 0)
        {
            if (_pos < _runes.Length && _runes[_pos] == '?')
            {
                nonGreedy = true;
                _pos++;
            }

            if (lastUnary >= 0)
            {
                throw new Re2ParseException("bad repetition operator", Text(lastUnary, _pos));
            }
        }

        var op = c switch { '*' => Re2Op.Star, '+' => Re2Op.Plus, _ => Re2Op.Quest };
        _stack.PushRepeatOp(op, Text(start, _pos), nonGreedy);
        return start;
    }

    private int ParseCountedRepeat(int lastUnary)
    {
        var start = _pos;
        if (!TryParseRepetition(out var lo, out var hi))
        {
            _stack.PushLiteral('{');
            _pos++;
            return -1;
        }

        var nonGreedy = false;
        if ((Flags & Re2Flags.PerlX) != 0)
        {
            if (_pos < _runes.Length && _runes[_pos] == '?')
            {
                nonGreedy = true;
                _pos++;
            }

            if (lastUnary >= 0)
            {
                throw new Re2ParseException("bad repetition operator", Text(lastUnary, _pos));
            }
        }

        _stack.PushRepetition(lo, hi, Text(start, _pos), nonGreedy);
        return start;
    }

    /// <summary>{n}, {n,} or {n,m}; anything else leaves the position alone (the brace is then a literal).</summary>
    private bool TryParseRepetition(out int lo, out int hi)
    {
        hi = 0;
        var p = _pos + 1;
        if (!TryParseInteger(ref p, out lo) || p >= _runes.Length)
        {
            return false;
        }

        if (_runes[p] == ',')
        {
            p++;
            if (p >= _runes.Length)
            {
                return false;
            }

            if (_runes[p] == '}')
            {
                hi = -1;
            }
            else if (!TryParseInteger(ref p, out hi))
            {
                return false;
            }
        }
        else
        {
            hi = lo;
        }

        if (p >= _runes.Length || _runes[p] != '}')
        {
            return false;
        }

        _pos = p + 1;
        return true;
    }

    private bool TryParseInteger(ref int p, out int value)
    {
        value = 0;
        if (p >= _runes.Length || !IsDigit(_runes[p]))
        {
            return false;
        }

        if (p + 1 < _runes.Length && _runes[p] == '0' && IsDigit(_runes[p + 1]))
        {
            return false;
        }

        while (p < _runes.Length && IsDigit(_runes[p]))
        {
            if (value >= 100_000_000)
            {
                return false;
            }

            value = (value * 10) + _runes[p] - '0';
            p++;
        }

        return true;
    }

    private void ParseBackslash()
    {
        var next = Remaining >= 2 ? _runes[_pos + 1] : -1;
        if ((Flags & Re2Flags.PerlB) != 0 && next is 'b' or 'B')
        {
            _stack.PushSimple(next == 'b' ? Re2Op.WordBoundary : Re2Op.NoWordBoundary);
            _pos += 2;
            return;
        }

        if ((Flags & Re2Flags.PerlX) != 0 && next >= 0)
        {
            switch (next)
            {
                case 'A':
                    _stack.PushSimple(Re2Op.BeginText);
                    _pos += 2;
                    return;
                case 'z':
                    _stack.PushSimple(Re2Op.EndText);
                    _pos += 2;
                    return;
                case 'C':
                    _stack.PushSimple(Re2Op.AnyByte);
                    _pos += 2;
                    return;
                case 'Q':
                    ParseQuoted();
                    return;
            }
        }

        if (next is 'p' or 'P')
        {
            Re2ClassParser.ParseUnicodeGroup(_runes, ref _pos, _notes);
            _stack.PushRegexp(new Re2Node(Re2Op.CharClass, Flags & ~Re2Flags.FoldCase) { Class = new Re2CharClass() });
            return;
        }

        if (Re2ClassParser.PerlGroup(_runes, _pos) is { } group)
        {
            var cls = new Re2CharClass();
            Re2ClassParser.AddGroup(cls, group.Ranges, group.Sign, Flags, _notes);
            _stack.PushRegexp(new Re2Node(Re2Op.CharClass, Flags & ~Re2Flags.FoldCase) { Class = cls });
            _pos += 2;
            return;
        }

        _stack.PushLiteral(Re2Escapes.Parse(_runes, ref _pos));
    }

    private void ParseQuoted()
    {
        _pos += 2;
        while (_pos < _runes.Length)
        {
            if (Remaining >= 2 && _runes[_pos] == '\\' && _runes[_pos + 1] == 'E')
            {
                _pos += 2;
                break;
            }

            _stack.PushLiteral(_runes[_pos]);
            _pos++;
        }
    }

    private string Text(int from, int to)
    {
        var builder = new StringBuilder();
        for (var i = from; i < Math.Min(to, _runes.Length); i++)
        {
            builder.Append(char.ConvertFromUtf32(_runes[i] is >= 0xD800 and <= 0xDFFF ? 0xFFFD : _runes[i]));
        }

        return builder.ToString();
    }

    private static bool IsDigit(int c) => c is >= '0' and <= '9';

    /// <summary>The pattern's code points; a lone surrogate cannot be UTF-8, which RE2 refuses.</summary>
    private static int[] ToRunes(string pattern)
    {
        var runes = new List<int>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (char.IsHighSurrogate(c) && i + 1 < pattern.Length && char.IsLowSurrogate(pattern[i + 1]))
            {
                runes.Add(char.ConvertToUtf32(c, pattern[i + 1]));
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new Re2ParseException("invalid UTF-8", string.Empty);
            }
            else
            {
                runes.Add(c);
            }
        }

        return [.. runes];
    }
}
