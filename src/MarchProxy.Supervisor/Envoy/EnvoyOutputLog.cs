using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Maps Envoy's log lines ("[2024-05-01 12:00:00.123][42][warning][config] [source/…:12] text") to our
/// log levels. Lines without Envoy's prefix are logged at Information.
/// </summary>
internal static partial class EnvoyOutputLog
{
    private const int MaxLineLength = 8 * 1024;

    public static LogLevel LevelOf(string line)
    {
        var match = LevelPattern().Match(line);
        if (!match.Success)
        {
            return LogLevel.Information;
        }

        return match.Groups[1].Value switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "critical" => LogLevel.Critical,
            _ => LogLevel.Information,
        };
    }

    public static void Write(ILogger logger, int epoch, string line)
    {
        var level = LevelOf(line);
        if (logger.IsEnabled(level))
        {
            SupervisorLog.EnvoyOutput(logger, level, epoch, line.Length <= MaxLineLength ? line : line[..MaxLineLength]);
        }
    }

    [GeneratedRegex(@"^\[[^\]]*\]\[[^\]]*\]\[([a-z]+)\]")]
    private static partial Regex LevelPattern();
}
