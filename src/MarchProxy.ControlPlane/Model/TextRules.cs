namespace MarchProxy.ControlPlane.Model;

/// <summary>Character-level rules shared by the validators (HTTP tokens, header values, domains).</summary>
internal static class TextRules
{
    /// <summary>RFC 9110 token characters.</summary>
    private const string TokenPunctuation = "!#$%&'*+-.^_`|~";

    /// <summary>A header name: a token, or a pseudo-header such as ":authority".</summary>
    public static bool IsHeaderName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var start = name[0] == ':' && name.Length > 1 ? 1 : 0;
        return IsToken(name.AsSpan(start));
    }

    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !TokenPunctuation.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the text holds a control character other than tab, or an unpaired surrogate.</summary>
    public static bool HasControlCharacters(string text, bool allowTab = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((char.IsControl(c) && !(allowTab && c == '\t'))
                || (char.IsHighSurrogate(c) && (i + 1 == text.Length || !char.IsLowSurrogate(text[++i])))
                || char.IsLowSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A virtual-host domain as Envoy takes it: "*", "*.example.com", "example.*", "host:port", "[::1]:80".</summary>
    public static bool IsDomainPattern(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > ModelLimits.MaxHostLength)
        {
            return false;
        }

        var stars = 0;
        foreach (var c in host)
        {
            if (c == '*')
            {
                stars++;
            }
            else if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or ':' or '[' or ']' or '_'))
            {
                return false;
            }
        }

        return stars == 0 || (stars == 1 && (host[0] == '*' || host[^1] == '*'));
    }
}
