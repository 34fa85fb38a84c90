using System.Runtime.InteropServices;

namespace MarchProxy.Load.Hosting;

/// <summary>kill(2) through libc: .NET can only SIGKILL a child, and the host is stopped gracefully with SIGTERM.</summary>
internal static partial class PosixSignals
{
    public const int SigTerm = 15;

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}
