using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// One Envoy process (one epoch): one we started, with stdout and stderr piped into our logs, or one
/// we adopted (an orphan found on the admin port, known by the pid file or not at all).
/// </summary>
internal sealed class EnvoyProcess : IDisposable
{
    private readonly Process? _process;

    private EnvoyProcess(Process? process, int? pid, int epoch, long baseId, DateTimeOffset startedAt, Task<int?> exited)
    {
        _process = process;
        Pid = pid;
        Epoch = epoch;
        BaseId = baseId;
        StartedAt = startedAt;
        Exited = exited;
    }

    public int? Pid { get; }

    public int Epoch { get; }

    public long BaseId { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Completes when the process has exited, with its exit code (null when it is not our child).</summary>
    public Task<int?> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    /// <exception cref="Win32Exception">The binary could not be executed.</exception>
    public static EnvoyProcess Start(string binary, IReadOnlyList<string> args, int epoch, long baseId, DateTimeOffset now, ILogger logger)
    {
        var startInfo = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                EnvoyOutputLog.Write(logger, epoch, e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                EnvoyOutputLog.Write(logger, epoch, e.Data);
            }
        };

        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new EnvoyProcess(process, process.Id, epoch, baseId, now, WaitForChildAsync(process));
    }

    /// <summary>An Envoy we did not start. Without a pid it can be neither watched nor signalled.</summary>
    public static EnvoyProcess Adopt(int? pid, int epoch, long baseId, DateTimeOffset now)
    {
        if (pid is { } known)
        {
            try
            {
                var process = Process.GetProcessById(known);
                return new EnvoyProcess(process, known, epoch, baseId, now, WaitForOtherAsync(process));
            }
            catch (ArgumentException)
            {
                // Gone already.
                return new EnvoyProcess(null, known, epoch, baseId, now, Task.FromResult<int?>(null));
            }
        }

        return new EnvoyProcess(null, null, epoch, baseId, now, new TaskCompletionSource<int?>().Task);
    }

    /// <summary>Sends a POSIX signal; false when there is no such process (or no pid).</summary>
    public bool Signal(int signal)
    {
        if (HasExited || Pid is not { } pid)
        {
            return false;
        }

        if (signal == PosixSignals.SigKill && _process is not null)
        {
            try
            {
                _process.Kill(entireProcessTree: false);
                return true;
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
                return false;
            }
        }

        return PosixSignals.Send(pid, signal);
    }

    /// <summary>Waits up to <paramref name="timeout"/> on <paramref name="time"/>; true when the process has exited.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Exited.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose() => _process?.Dispose();

    public override string ToString() => $"epoch {Epoch} (pid {Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})";

    private static async Task<int?> WaitForChildAsync(Process process)
    {
        // Also waits for the end of stdout and stderr, so the last log lines are in before the exit is seen.
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task<int?> WaitForOtherAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        return null;
    }
}
