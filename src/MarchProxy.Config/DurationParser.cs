using System.Globalization;

namespace MarchProxy.Config;

/// <summary>
/// Parses the durations operators write: "500ms", "30s", "1m", "2h", plain seconds ("30", "1.5"),
/// or .NET's constant TimeSpan format ("00:00:30"). Negative values are rejected.
/// </summary>
public static class DurationParser
{
    private static readonly (string Suffix, double Seconds)[] Units =
    [
        ("ms", 0.001),
        ("s", 1),
        ("m", 60),
        ("h", 3600),
    ];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (s.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        }

        var factor = 1.0;
        foreach (var (suffix, seconds) in Units)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = seconds;
                s = s[..^suffix.Length];
                break;
            }
        }

        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || double.IsNaN(number) || double.IsInfinity(number))
        {
            return false;
        }

        var total = number * factor;
        if (total > TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>Formats a duration for configuration binding (the constant "c" format).</summary>
    public static string ToConfigurationValue(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
