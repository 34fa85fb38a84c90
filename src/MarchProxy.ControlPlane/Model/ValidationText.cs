using System.Globalization;
using System.Text;

namespace MarchProxy.ControlPlane.Model;

/// <summary>How validation messages echo input: quoted, on one line, and short.</summary>
public static class ValidationText
{
    /// <summary>At most this many characters of a value are echoed.</summary>
    public const int MaxEcho = 64;

    /// <summary>'value', with control characters escaped and anything past <see cref="MaxEcho"/> characters cut.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxEcho) + 16).Append('\'');
        var shown = 0;
        foreach (var c in value)
        {
            if (shown++ == MaxEcho)
            {
                builder.Append("…' (").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
                return builder.ToString();
            }

            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="max"/> characters (for fields and messages built elsewhere).</summary>
    public static string Truncate(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
