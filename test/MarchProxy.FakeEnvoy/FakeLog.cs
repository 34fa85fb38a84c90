using System.Globalization;

namespace MarchProxy.FakeEnvoy;

/// <summary>Writes log lines to stderr in Envoy's default format: "[time][thread][level][component] [file:line] message".</summary>
internal sealed class FakeLog(string level)
{
    private static readonly string[] Levels = ["trace", "debug", "info", "warning", "error", "critical", "off"];
    private readonly int _threshold = Rank(level);
    private readonly Lock _gate = new();

    public void Info(string component, string message) => Write("info", component, message);

    public void Warn(string component, string message) => Write("warning", component, message);

    public void Error(string component, string message) => Write("error", component, message);

    public void Debug(string component, string message) => Write("debug", component, message);

    public void Critical(string component, string message) => Write("critical", component, message);

    private void Write(string lineLevel, string component, string message)
    {
        if (Rank(lineLevel) < _threshold)
        {
            return;
        }

        var stamp = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            Console.Error.WriteLine($"[{stamp}][{Environment.CurrentManagedThreadId}][{lineLevel}][{component}] [source/server/fake_envoy.cc:0] {message}");
        }
    }

    private static int Rank(string value)
    {
        var normalized = value == "warn" ? "warning" : value;
        var index = Array.IndexOf(Levels, normalized);
        return index < 0 ? 2 : index;
    }
}
