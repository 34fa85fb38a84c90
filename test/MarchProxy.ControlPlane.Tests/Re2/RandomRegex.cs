using System.Text;

namespace MarchProxy.ControlPlane.Tests.Re2;

/// <summary>
/// Random expressions that mix RE2's constructs (classes, escapes, flags, groups, alternations,
/// repetitions, non-ASCII runes) with the occasional syntax error, so that the checker is compared
/// with RE2 on valid and invalid input alike.
/// </summary>
internal static class RandomRegex
{
    private static readonly string[] Atoms =
    [
        "a", "b", "c", "k", "s", "K", "S", "x", "0", "9", "_", "-", "/", "é", "ß", "α", "ω", "€", "日", "😀",
        "\\.", "\\*", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", ".", "\\b", "\\B", "^", "$", "\\A", "\\z", "\\C",
        "\\x41", "\\x{263a}", "\\x{10FFFF}", "\\n", "\\t", "\\101", "\\0", "\\Qa.b\\E", "[abc]", "[^abc]", "[a-z]",
        "[A-Z0-9_]", "[^\\n]", "[[:alpha:]]", "[[:^digit:]]", "[\\d\\s]", "[^\\w]", "[a-zA-Z]", "[k]", "[Kk]",
        "[\\x{80}-\\x{7FF}]", "[\\x{100}-\\x{10000}]", "[^a-z]", "[\\x00-\\x7f]", "[α-ω]", "[.]", "[-a]", "[a-]",
        "[]a]", "[^\\x{80}-\\x{10FFFF}]", "[Aa]", "[sS]",
    ];

    private static readonly string[] Errors =
    [
        "(", ")", "[", "\\", "*", "+?+", "{2}{3}", "\\Z", "\\e", "(?x)", "(?<n>a)", "\\p{Greek}", "\\pL", "(?P<",
        "[z-a]", "a{1001}", "(?i", "\\8", "[[:foo:]]", "(?=a)", "\\x{110000}", "\\xg1",
    ];

    private static readonly string[] Groups = ["(", "(?:", "(?i:", "(?s:", "(?P<g>", "(?U:", "(?m:", "(?-i:", "(?is:"];

    private static readonly string[] Flags = ["(?i)", "(?s)", "(?m)", "(?U)", "(?-i)", "(?i-s)"];

    private static readonly string[] Repeats = ["*", "+", "?", "*?", "+?", "??", "{2}", "{0,2}", "{1,3}", "{2,}", "{3}?", "{0}", "{1}", "{0,1}", "{4,7}"];

    public static string Next(Random random) => Make(random, 0);

    private static string Make(Random random, int depth)
    {
        var builder = new StringBuilder();
        var pieces = random.Next(1, depth == 0 ? 6 : 4);
        for (var i = 0; i < pieces; i++)
        {
            var roll = random.Next(100);
            if (roll < 45)
            {
                builder.Append(Atoms[random.Next(Atoms.Length)]);
            }
            else if (roll < 52)
            {
                builder.Append((char)('a' + random.Next(3)), random.Next(1, 4));
            }
            else if (roll < 72 && depth < 3)
            {
                var inner = Make(random, depth + 1);
                for (var alternatives = random.Next(3); alternatives > 0; alternatives--)
                {
                    inner += "|" + Make(random, depth + 1);
                }

                builder.Append(Groups[random.Next(Groups.Length)]).Append(inner).Append(')');
            }
            else if (roll < 78)
            {
                builder.Append(Flags[random.Next(Flags.Length)]);
            }
            else if (roll < 84)
            {
                builder.Append('|');
            }
            else if (roll < 86)
            {
                builder.Append(Errors[random.Next(Errors.Length)]);
            }

            if (random.Next(100) < 35)
            {
                builder.Append(Repeats[random.Next(Repeats.Length)]);
            }
        }

        return builder.ToString();
    }
}
