using System.Globalization;

namespace MarchProxy.Load;

/// <summary>Progress lines with the time since the run started, to stderr (results go to files).</summary>
public sealed class RunLog(TextWriter writer, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public void Info(string message)
    {
        var elapsed = time.GetElapsedTime(_started).TotalSeconds;
        lock (writer)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{elapsed,7:F1}s] {message}"));
            writer.Flush();
        }
    }
}
