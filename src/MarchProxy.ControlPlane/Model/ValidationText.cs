using System.Globalization;
using System.Text;

namespace MarchProxy.ControlPlane.Model;

/// <summary>How validation messages echo input: quoted, on one line, and short.</summary>
public static class ValidationText
{
    /// <summary>At most this many bytes (UTF-8) of a value are echoed.</summary>
    public const int MaxEchoBytes = 200;

    /// <summary>'value', with control characters escaped and anything past <see cref="MaxEchoBytes"/> bytes cut.</summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxEchoBytes) + 16).Append('\'');
        var bytes = 0;
        foreach (var c in value)
        {
            bytes += c < 0x80 ? 1 : char.IsSurrogate(c) ? 2 : c < 0x800 ? 2 : 3;
            if (bytes > MaxEchoBytes)
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
