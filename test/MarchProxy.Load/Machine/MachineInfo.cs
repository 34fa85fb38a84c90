using System.Runtime.InteropServices;

namespace MarchProxy.Load.Machine;

/// <summary>The machine a run measured on, read from /proc and the runtime.</summary>
public sealed record MachineInfo(string Cpu, int Cores, long MemoryBytes, string Os, string Kernel, string Runtime, long OpenFilesSoft, long OpenFilesHard)
{
    public static MachineInfo Read()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memoryKb = ReadField("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var os = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription;
        var (soft, hard) = FileLimits.Read();
        return new MachineInfo(
            cpu,
            Environment.ProcessorCount,
            memoryKb is null ? 0 : long.Parse(memoryKb, System.Globalization.CultureInfo.InvariantCulture) * 1024,
            os,
            File.Exists("/proc/sys/kernel/osrelease") ? "Linux " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            soft,
            hard);
    }

    private static string? ReadField(string path, string name, char separator = ':')
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var split = line.IndexOf(separator, StringComparison.Ordinal);
            if (split > 0 && line[..split].Trim() == name)
            {
                return line[(split + 1)..].Trim();
            }
        }

        return null;
    }
}
