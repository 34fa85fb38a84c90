using System.Text;
using System.Text.Json;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// DataDir/envoy.pid: the serving Envoy's pid, epoch and base id. If we are killed without a chance to
/// stop Envoy, the next supervisor finds the orphan through it (and through the admin port).
/// </summary>
internal static class PidFile
{
    public const string FileName = "envoy.pid";

    public static string PathIn(string dataDir) => Path.Combine(Path.GetFullPath(dataDir), FileName);

    public static void Write(string dataDir, PidRecord record)
    {
        var path = PathIn(dataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(record), Encoding.UTF8);
        File.Move(temp, path, overwrite: true);
    }

    public static PidRecord? Read(string dataDir)
    {
        var path = PathIn(dataDir);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<PidRecord>(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            // A torn or foreign file names no process we may signal.
            return null;
        }
    }

    public static void Delete(string dataDir) => File.Delete(PathIn(dataDir));

    /// <summary>
    /// True when <paramref name="pid"/> is alive and its command line names <paramref name="bootstrapPath"/>,
    /// so a recycled pid is never signalled. Where /proc is missing, liveness alone decides.
    /// </summary>
    public static bool IsOurEnvoy(int pid, string bootstrapPath)
    {
        if (!PosixSignals.IsAlive(pid))
        {
            return false;
        }

        var cmdline = $"/proc/{pid}/cmdline";
        if (!File.Exists(cmdline))
        {
            return true;
        }

        try
        {
            return File.ReadAllText(cmdline).Contains(bootstrapPath, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}

/// <summary>The content of the pid file.</summary>
internal sealed record PidRecord(int Pid, int Epoch, long BaseId);
