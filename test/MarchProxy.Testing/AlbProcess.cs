using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MarchProxy.Testing;

/// <summary>
/// The published ALB as a child process (<c>dotnet MarchProxy.Alb.dll</c>): its environment (the
/// caller's variables over a clean base: loopback binds, ports 0, Envoy disabled), its output captured
/// line by line, the ports it bound (from its start-up line), real signals and its exit code. Disposing
/// it SIGKILLs it if it still runs. Knows nothing of the product but its start-up line and settings.
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
    private readonly Lock _gate = new();
    private readonly List<(bool IsError, string Text)> _lines = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AlbProcess(Process process)
    {
        _process = process;
        StartedAt = Stopwatch.GetTimestamp();
    }

    public int Pid { get; private set; }

    /// <summary>When the process was started (a <see cref="Stopwatch"/> timestamp).</summary>
    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Every line so far, stdout and stderr in arrival order.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines.Select(l => l.Text)];
            }
        }
    }

    public IReadOnlyList<string> StandardError
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines.Where(l => l.IsError).Select(l => l.Text)];
            }
        }
    }

    public IReadOnlyList<string> StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines.Where(l => !l.IsError).Select(l => l.Text)];
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="dll"/>. <paramref name="environment"/> is applied over the defaults
    /// (a null value removes a default); <paramref name="args"/> are its command line.
    /// </summary>
    public static AlbProcess Start(string dll, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
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

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var alb = new AlbProcess(process);
        process.OutputDataReceived += (_, e) => alb.Add(isError: false, e.Data);
        process.ErrorDataReceived += (_, e) => alb.Add(isError: true, e.Data);
        process.Exited += (_, _) => alb.Signal();
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
            Task changed;
            lock (_gate)
            {
                for (var i = from; i < _lines.Count; i++)
                {
                    if (match(_lines[i].Text))
                    {
                        return _lines[i].Text;
                    }
                }

                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The ALB exited ({_process.ExitCode}) without the expected line. Its output:{Environment.NewLine}{string.Join(Environment.NewLine, _lines.Select(l => l.Text))}");
                }

                changed = _changed.Task;
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignal.Send(Pid, PosixSignal.SigKill);
            await _process.WaitForExitAsync().WaitAsync(TaskTimeoutExtensions.DefaultTimeoutSpan);
        }

        _process.Dispose();
    }

    private void Add(bool isError, string? text)
    {
        if (text is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add((isError, text));
        }

        Signal();
    }

    private void Signal() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    [GeneratedRegex(@"listening: API \(gRPC\) (?<api>\d+), ADS (?<xds>\d+), health (?<health>\d+), metrics (?<metrics>\d+)")]
    private static partial Regex ListeningLine();
}
