using System.Globalization;

namespace MarchProxy.Load.Machine;

/// <summary>
/// The open-file limit (ulimit -n) of this process, which the host inherits. Each stream is one
/// socket in the harness and one in the host, plus the host's own files and the harness's channels.
/// </summary>
public static class FileLimits
{
    /// <summary>Descriptors needed beyond one per stream (runtime, listeners, API channels, logs).</summary>
    public const int Margin = 256;

    /// <summary>(soft, hard) from /proc/self/limits; -1 means unlimited, 0 unknown.</summary>
    public static (long Soft, long Hard) Read()
    {
        const string path = "/proc/self/limits";
        if (!File.Exists(path))
        {
            return (0, 0);
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return (Parse(parts[0]), Parse(parts[1]));
            }
        }

        return (0, 0);
    }

    /// <summary>Null when <paramref name="streams"/> fit under the soft limit, else what to do about it.</summary>
    public static string? Check(int streams, long soft)
    {
        var needed = streams + Margin;
        if (soft < 0 || soft >= needed)
        {
            return null;
        }

        return $"{streams} streams need at least {needed} open files in this process and in the host, but the limit (ulimit -n) is {soft}. "
            + $"Raise it in the shell that starts the harness, e.g. `ulimit -n {Math.Max(needed * 2, 16384)}` (as root, or up to the hard limit `ulimit -Hn`), "
            + "or run with fewer streams.";
    }

    private static long Parse(string value) =>
        value == "unlimited" ? -1 : long.Parse(value, CultureInfo.InvariantCulture);
}
