namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// Checks a regular expression the way Envoy compiles <c>safe_regex</c> (RE2, default options) and
/// computes RE2's program size, in pure .NET. It accepts RE2's syntax except two constructs whose size
/// needs Unicode's tables: Unicode classes (<c>\p{…}</c>) and case-insensitive matching of non-ASCII
/// letters; those are refused as <see cref="Re2Status.Unsupported"/>.
/// </summary>
public static class Re2Syntax
{
    /// <summary>Envoy's default <c>re2.max_program_size.error_level</c>.</summary>
    public const int EnvoyMaxProgramSize = 100;

    /// <summary>Instructions compiled at most before giving up (the size is then only known to be large).</summary>
    public const int DefaultBudget = 10_000;

    /// <summary>One line for documentation and GetStatus: what this checker accepts.</summary>
    public const string Description =
        "RE2 (Envoy's safe_regex with Google RE2, default options), program size at most 100; " +
        "\\p{…} Unicode classes and (?i) on non-ASCII letters are refused";

    public static Re2Verdict Check(string pattern, int maxProgramSize = EnvoyMaxProgramSize, int budget = DefaultBudget)
    {
        var notes = new Re2Unsupported();
        Re2Node re;
        try
        {
            re = Re2Parser.Parse(pattern, notes);
        }
        catch (Re2ParseException ex)
        {
            return new Re2Verdict(Re2Status.Invalid, -1, $"is not valid RE2 ({ex.Message})");
        }
        catch (InsufficientExecutionStackException)
        {
            return new Re2Verdict(Re2Status.Unsupported, -1, "is nested too deeply");
        }

        if (notes.Construct is { } construct)
        {
            return new Re2Verdict(Re2Status.Unsupported, -1, $"uses {construct}, which is not supported (see the regex syntax in the README)");
        }

        int size;
        try
        {
            var compiler = Re2Compiler.Compile(RequiredPrefixSuffix(re), Math.Max(budget, maxProgramSize + 1));
            size = compiler.Failed ? -1 : Re2Program.Size(compiler);
        }
        catch (InsufficientExecutionStackException)
        {
            size = -1;
        }

        if (size < 0 || size > maxProgramSize)
        {
            var actual = size < 0 ? "far more" : size.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new Re2Verdict(Re2Status.TooLarge, size, $"compiles to an RE2 program of {actual} instructions, over Envoy's limit of {maxProgramSize} (re2.max_program_size)");
        }

        return new Re2Verdict(Re2Status.Valid, size, "is valid RE2");
    }

    /// <summary>
    /// RE2 matches a leading <c>^literal</c> by string comparison and compiles only the rest, so the
    /// program size is that of the rest.
    /// </summary>
    private static Re2Node RequiredPrefixSuffix(Re2Node re)
    {
        if (re.Op != Re2Op.Concat)
        {
            return re;
        }

        var i = 0;
        while (i < re.Subs.Count && re.Subs[i].Op == Re2Op.BeginText)
        {
            i++;
        }

        if (i == 0 || i >= re.Subs.Count || re.Subs[i].Op is not (Re2Op.Literal or Re2Op.LiteralString))
        {
            return re;
        }

        i++;
        return i < re.Subs.Count
            ? Re2Factoring.Concat(re.Subs.GetRange(i, re.Subs.Count - i), re.Flags)
            : new Re2Node(Re2Op.EmptyMatch, re.Flags);
    }
}
