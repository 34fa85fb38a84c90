using System.Diagnostics;
using System.Text;

namespace MarchProxy.Supervisor.Tests.Infrastructure;

/// <summary>Runs the fake Envoy directly (not through the supervisor), for the fake's own behaviour and for orphans.</summary>
public sealed class FakeEnvoyRun : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _live = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeEnvoyRun(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Completes when the fake logs that it is LIVE.</summary>
    public Task Live => _live.Task;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static FakeEnvoyRun Start(string script, IEnumerable<string> args)
    {
        var startInfo = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        var run = new FakeEnvoyRun(new Process { StartInfo = startInfo, EnableRaisingEvents = true });
        run.Process.OutputDataReceived += (_, e) => run.Append(e.Data);
        run.Process.ErrorDataReceived += (_, e) => run.Append(e.Data);
        run.Process.Start();
        run.Process.BeginOutputReadLine();
        run.Process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs to completion; returns the exit code.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] args)
    {
        using var run = Start(script, args);
        await run.Process.WaitForExitAsync().DefaultTimeout();
        return (run.Process.ExitCode, run.Output);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }

        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("(server LIVE)", StringComparison.Ordinal))
        {
            _live.TrySetResult();
        }
    }
}
