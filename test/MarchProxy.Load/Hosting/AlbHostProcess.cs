using System.Diagnostics;
using System.Globalization;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace MarchProxy.Load.Hosting;

/// <summary>
/// The published ALB as a child process: <c>dotnet MarchProxy.Alb.dll</c> in control-plane-only mode
/// (ENVOY_ENABLED=false) on the workspace's loopback ports, DATA_DIR and config file. Its output goes
/// to a log file in the workspace. Stopped with SIGTERM, then SIGKILL after a grace period.
/// </summary>
public sealed class AlbHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private readonly string _logPath;
    private bool _disposed;

    private AlbHostProcess(Process process, StreamWriter log, string logPath, HostWorkspace workspace)
    {
        _process = process;
        _log = log;
        _logPath = logPath;
        Workspace = workspace;
    }

    public HostWorkspace Workspace { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public Uri ApiAddress => new($"http://127.0.0.1:{Workspace.Ports.Grpc}");

    public Uri XdsAddress => new($"http://127.0.0.1:{Workspace.Ports.Xds}");

    /// <summary>Starts the host and waits until grpc.health.v1 says SERVING; throws with the host's output when it does not.</summary>
    public static async Task<AlbHostProcess> StartAsync(
        HostBuild build, HostWorkspace workspace, int startNumber, IReadOnlyDictionary<string, string> extraEnvironment, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workspace.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(build.DllPath);
        var ports = workspace.Ports;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MODULE_ID"] = "load-" + build.Label,
            ["GRPC_PORT"] = Invariant(ports.Grpc),
            ["GRPC_BIND"] = "127.0.0.1",
            ["XDS_PORT"] = Invariant(ports.Xds),
            ["XDS_BIND"] = "127.0.0.1",
            ["HEALTH_PORT"] = Invariant(ports.Health),
            ["HEALTH_BIND"] = "127.0.0.1",
            ["METRICS_PORT"] = Invariant(ports.Metrics),
            ["METRICS_BIND"] = "127.0.0.1",
            ["ENVOY_ENABLED"] = "false",
            ["ENVOY_LISTEN_PORT"] = Invariant(ports.EnvoyListen),
            ["ENVOY_ADMIN_PORT"] = Invariant(ports.EnvoyAdmin),
            ["DATA_DIR"] = workspace.DataDir,
            ["ALB_CONFIG_FILE"] = workspace.ConfigFile,
            ["SHUTDOWN_TIMEOUT"] = "5s",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (key, value) in extraEnvironment)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        // The host must not inherit an API key or a URL list meant for something else.
        info.Environment.Remove("CLUSTER_API_KEY");
        info.Environment.Remove("ASPNETCORE_URLS");

        var logPath = workspace.LogFile(startNumber);
        var log = new StreamWriter(logPath) { AutoFlush = false };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new AlbHostProcess(process, log, logPath, workspace);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitServingAsync(timeout, time, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in bytes.</summary>
    public long ReadRssBytes() => ProcessMemory.ReadRssBytes(Pid);

    /// <summary>SIGTERM, then SIGKILL when the host has not exited after the grace period.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignals.Send(_process.Id, PosixSignals.SigTerm);
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Append("[load] the host did not exit within the grace period after SIGTERM; killing it");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The last lines of the host's output, for an error message.</summary>
    public string OutputTail(int maxChars = 4000)
    {
        lock (_logGate)
        {
            _log.Flush();
        }

        var text = File.ReadAllText(_logPath);
        return text.Length <= maxChars ? text : text[^maxChars..];
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync();
        _process.WaitForExit();
        lock (_logGate)
        {
            _log.Dispose();
        }

        _process.Dispose();
    }

    private async Task WaitServingAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(ApiAddress);
        var health = new Health.HealthClient(channel);
        var started = time.GetTimestamp();
        string last = "no answer yet";
        while (time.GetElapsedTime(started) < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the host exited with {_process.ExitCode} while starting:\n{OutputTail()}");
            }

            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: time.GetUtcNow().UtcDateTime.AddSeconds(2), cancellationToken: cancellationToken);
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }

                last = reply.Status.ToString();
            }
            catch (Grpc.Core.RpcException ex)
            {
                last = ex.StatusCode.ToString();
            }

            // Polling an external process: there is nothing to subscribe to before its API answers.
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }

        throw new TimeoutException($"the host did not serve within {timeout} (last health answer: {last}):\n{OutputTail()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            _log.WriteLine(line);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
