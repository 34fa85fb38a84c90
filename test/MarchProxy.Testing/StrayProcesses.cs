using System.Diagnostics;

namespace MarchProxy.Testing;

/// <summary>Cleans up after process tests: a killed parent leaves its children (Envoy) running.</summary>
public static class StrayProcesses
{
    /// <summary>SIGKILLs every process (but this one) whose command line contains <paramref name="text"/>, e.g. a test's temp directory.</summary>
    public static void KillMentioning(string text)
    {
        if (!Directory.Exists("/proc"))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(text, StringComparison.Ordinal))
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // It exited meanwhile.
            }
        }
    }
}
