namespace MarchProxy.ControlPlane.Validation.Pgv;

/// <summary>protoc-gen-validate's well-known header regexes, as character tests.</summary>
internal static class HeaderSyntax
{
    // ^:?[0-9a-zA-Z!#$%&'*+-.^_|~\x60]+$ : "+-." is a range, so ',' is in it too.
    private const string NamePunctuation = "!#$%&'*+,-.^_|~`";

    public static bool Matches(KnownRegex regex, bool strict, string value)
    {
        if (!strict)
        {
            // The loose form only refuses NUL, LF and CR (for names and values alike).
            return !value.Any(c => c is '\0' or '\n' or '\r');
        }

        if (regex == KnownRegex.HttpHeaderValue)
        {
            return !value.Any(c => c is <= '\u0008' or (>= '\u000A' and <= '\u001F') or '\u007F');
        }

        var start = value.StartsWith(':') ? 1 : 0;
        if (value.Length == start)
        {
            return false;
        }

        for (var i = start; i < value.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(value[i]) && !NamePunctuation.Contains(value[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
