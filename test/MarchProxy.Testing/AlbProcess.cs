using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MarchProxy.Testing;

/// <summary>
/// The published ALB as a child process (<c>dotnet MarchProxy.Alb.dll</c>), for the whole-process tests
/// and the load harness: its environment (the caller's variables over a clean base: loopback binds,
/// ports 0, Envoy disabled), its output captured line by line (in memory, or in a file for a long run),
/// the ports it bound (from its start-up line), real signals, a graceful stop, its exit code and its
/// resident memory. Disposing it SIGKILLs it if it still runs. Knows nothing of the product but its
/// start-up line and settings.
/// </summary>
public sealed partial class AlbProcess : IAsyncDisposable
{
    /// <summary>Variables of the product that must not leak from the test's own environment.</summary>
    private static readonly string[] ProductVariablePrefixes = ["ENVOY_", "XDS_", "FAKE_ENVOY_", "OTEL_", "ASPNETCORE_", "Alb__", "Envoy__", "Translation__", "Telemetry__"];

    private static readonly string[] ProductVariables =
    [
        "MODULE_ID", "GRPC_PORT", "GRPC_BIND", "HEALTH_PORT", "HEALTH_BIND", "METRICS_PORT", "METRICS_BIND", "DATA_DIR",
        "ALB_CONFIG_FILE", "CLUSTER_API_KEY", "SHUTDOWN_TIMEOUT", "DRAIN_TIMEOUT", "RELOAD_GRACE_PERIOD", "LOG_FORMAT", "DOTNET_URLS",
    ];

    private readonly Process _process;
    private readonly ProcessOutput _output;
    private bool _disposed;

    private AlbProcess(Process process, ProcessOutput output)
    {
        _process = process;
        _output = output;
        StartedAt = Stopwatch.GetTimestamp();
    }

    public int Pid { get; private set; }

    /// <summary>When the process was started (a <see cref="Stopwatch"/> timestamp).</summary>
    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Every line so far, stdout and stderr in arrival order.</summary>
    public IReadOnlyList<string> Output => _output.Lines();

    /// <summary>The stderr lines (only when the output is kept in memory).</summary>
    public IReadOnlyList<string> StandardError => _output.Lines(errors: true);

    /// <summary>The stdout lines (only when the output is kept in memory).</summary>
    public IReadOnlyList<string> StandardOutput => _output.Lines(errors: false);

    /// <summary>
    /// Starts <paramref name="dll"/>, its output kept in memory. <paramref name="environment"/> is
    /// applied over the defaults (a null value removes a default); <paramref name="args"/> are its
    /// command line.
    /// </summary>
    public static AlbProcess Start(string dll, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Start(dll, workingDirectory, environment, outputFile: null, args);

    /// <summary>As <see cref="Start(string, string, IReadOnlyDictionary{string, string?}, string[])"/>, its output written to <paramref name="outputFile"/> instead.</summary>
    public static AlbProcess StartLoggingTo(string outputFile, string dll, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Start(dll, workingDirectory, environment, outputFile, args);

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in bytes.</summary>
    public long ReadRssBytes() => ProcessMemory.ReadRssBytes(Pid);

    /// <summary>The CPU time (user + system) the ALB has used, from /proc/&lt;pid&gt;/stat, at clock-tick resolution.</summary>
    public TimeSpan ReadCpuTime() => ProcessCpu.Read(Pid);

    /// <summary>The end of the output (at most <paramref name="maxChars"/> characters), for an error message.</summary>
    public string OutputTail(int maxChars = 4000)
    {
        var text = string.Join(Environment.NewLine, Output);
        return text.Length <= maxChars ? text : text[^maxChars..];
    }

    private static AlbProcess Start(string dll, string workingDirectory, IReadOnlyDictionary<string, string?> environment, string? outputFile, string[] args)
    {
        var start = new ProcessStartInfo(FakeEnvoyLocation.DotnetPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.ToList())
        {
            if (ProductVariables.Contains(name, StringComparer.Ordinal) || ProductVariablePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                start.Environment.Remove(name);
            }
        }

        var defaults = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["GRPC_BIND"] = "127.0.0.1",
            ["GRPC_PORT"] = "0",
            ["HEALTH_BIND"] = "127.0.0.1",
            ["HEALTH_PORT"] = "0",
            ["METRICS_BIND"] = "127.0.0.1",
            ["METRICS_PORT"] = "0",
            ["ENVOY_ENABLED"] = "false",
            ["LOG_FORMAT"] = "text",
        };
        foreach (var (name, value) in environment)
        {
            defaults[name] = value;
        }

        foreach (var (name, value) in defaults)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var output = new ProcessOutput(outputFile);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var alb = new AlbProcess(process, output);
        process.OutputDataReceived += (_, e) => output.Add(isError: false, e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(isError: true, e.Data);
        process.Exited += (_, _) => output.Signal();
        process.Start();
        alb.Pid = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return alb;
    }

    /// <summary>Waits for the first line (from index <paramref name="from"/> on) that satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null, int from = 0)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TaskTimeoutExtensions.DefaultTimeoutSpan);
        while (true)
        {
            var changed = _output.Changed;
            var lines = _output.Lines();
            for (var i = from; i < lines.Count; i++)
            {
                if (match(lines[i]))
                {
                    return lines[i];
                }
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The ALB exited ({_process.ExitCode}) without the expected line. Its output:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
            }

            try
            {
                await changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The ALB did not print the expected line in time. Its output:{Environment.NewLine}{string.Join(Environment.NewLine, Output)}");
            }
        }
    }

    /// <summary>Waits for the start-up line and reads the bound ports from it.</summary>
    public async Task<AlbPorts> WaitForListeningAsync(TimeSpan? timeout = null)
    {
        var line = await WaitForLineAsync(l => ListeningLine().IsMatch(l), timeout ?? TimeSpan.FromSeconds(30));
        var match = ListeningLine().Match(line);
        int Port(string name) => int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        return new AlbPorts(Port("api"), Port("xds"), Port("health"), Port("metrics"));
    }

    /// <summary>Waits for the exit (and the end of its output); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout ?? TaskTimeoutExtensions.DefaultTimeoutSpan);
        return _process.ExitCode;
    }

    public void Signal(int signal)
    {
        if (!PosixSignal.Send(Pid, signal))
        {
            throw new InvalidOperationException($"Could not send signal {signal} to the ALB (pid {Pid}).");
        }
    }

    /// <summary>
    /// SIGTERM, then SIGKILL when the ALB has not exited within <paramref name="grace"/>; returns
    /// false when it had to be killed. Returns at once when it has already exited (or was disposed).
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (_disposed || _process.HasExited)
        {
            return true;
        }

        PosixSignal.Send(Pid, PosixSignal.SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            PosixSignal.Send(Pid, PosixSignal.SigKill);
            await _process.WaitForExitAsync().WaitAsync(TaskTimeoutExtensions.DefaultTimeoutSpan);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            PosixSignal.Send(Pid, PosixSignal.SigKill);
        }

        // Also waits for the end of the redirected output, so the output file is complete when closed.
        await _process.WaitForExitAsync().WaitAsync(TaskTimeoutExtensions.DefaultTimeoutSpan);
        _output.Dispose();
        _process.Dispose();
    }

    [GeneratedRegex(@"listening: API \(gRPC\) (?<api>\d+), ADS (?<xds>\d+), health (?<health>\d+), metrics (?<metrics>\d+)")]
    private static partial Regex ListeningLine();
}
