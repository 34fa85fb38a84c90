using MarchProxy.Config;

namespace MarchProxy.Cli.Parsing;

/// <summary>Durations on the command line, read as the ALB reads them (<see cref="DurationParser"/>): "30s", "500ms", "1m", "2h", "00:00:30" or plain seconds.</summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value) => DurationParser.TryParse(text, out value);

    public static TimeSpan Parse(string name, string text) => TryParse(text, out var value)
        ? value
        : throw new UsageException($"{name}: '{text}' is not a duration (e.g. 30s, 500ms, 1m, 00:00:30)");
}
