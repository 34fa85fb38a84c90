using System.Globalization;

namespace MarchProxy.Testing;

/// <summary>Reads the CPU time a process has used (user + system) from /proc (Linux), at clock-tick resolution.</summary>
internal static class ProcessCpu
{
    // USER_HZ: the unit of /proc/<pid>/stat's times; 100 on every Linux this harness runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // "pid (comm) state ...": comm may hold spaces, so count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
