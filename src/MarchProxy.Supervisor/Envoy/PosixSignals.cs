using System.Runtime.InteropServices;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Sends POSIX signals through libc's <c>kill(2)</c>: .NET can only SIGKILL a child (<c>Process.Kill</c>).
/// The numbers are the same on Linux and macOS.
/// </summary>
internal static partial class PosixSignals
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const int EPerm = 1;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process does not exist (or on Windows).</summary>
    public static bool Send(int pid, int signal) => !OperatingSystem.IsWindows() && Kill(pid, signal) == 0;

    /// <summary>True when a process with this pid exists (signal 0 probes without sending anything).</summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsWindows() || pid <= 0)
        {
            return false;
        }

        return Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == EPerm;
    }

    public static string Name(int signal) => signal switch
    {
        SigHup => "SIGHUP",
        SigInt => "SIGINT",
        SigKill => "SIGKILL",
        SigTerm => "SIGTERM",
        _ => $"signal {signal}",
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
