using System.Runtime.InteropServices;

namespace MarchProxy.Testing;

/// <summary>Real signals for whole-process tests, through libc's <c>kill(2)</c> (.NET can only SIGKILL).</summary>
public static partial class PosixSignal
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when no such process exists.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>True while a process with this pid exists (signal 0 sends nothing).</summary>
    public static bool IsAlive(int pid) => pid > 0 && (Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
