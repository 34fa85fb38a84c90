using System.Globalization;
using Grpc.Health.V1;
using Grpc.Net.Client;
using MarchProxy.Api.V1;
using MarchProxy.Load.Ads;
using MarchProxy.Testing;

namespace MarchProxy.Load.Hosting;

/// <summary>
/// One host under test for a group of scenarios: its workspace, the running process, an API channel
/// and the weight mutator. The host is the published ALB as a child process (<see cref="AlbProcess"/>)
/// in control-plane-only mode on the workspace's loopback ports, DATA_DIR and config file, its output
/// in a log file per start. Restart keeps the workspace (DATA_DIR, config, ports).
/// </summary>
public sealed class HostRun : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly HostBuild _build;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly TimeProvider _time;
    private int _starts;

    private HostRun(HostBuild build, HostWorkspace workspace, IReadOnlyDictionary<string, string> environment, TimeProvider time, RunLog log)
    {
        _build = build;
        Workspace = workspace;
        _environment = environment;
        _time = time;
        Log = log;
    }

    public HostWorkspace Workspace { get; }

    public AlbProcess Process { get; private set; } = null!;

    public Uri ApiAddress => new($"http://127.0.0.1:{Workspace.Ports.Grpc}");

    public Uri XdsAddress => new($"http://127.0.0.1:{Workspace.Ports.Xds}");

    public GrpcChannel ApiChannel { get; private set; } = null!;

    public ModuleService.ModuleServiceClient Api { get; private set; } = null!;

    public WeightMutator Mutator { get; private set; } = null!;

    public TimeProvider Time => _time;

    public RunLog Log { get; }

    public string Label => _build.Label;

    public static async Task<HostRun> StartAsync(
        HostBuild build, string seedConfigJson, IReadOnlyDictionary<string, string> environment, TimeProvider time, RunLog log, CancellationToken cancellationToken)
    {
        var run = new HostRun(build, new HostWorkspace(seedConfigJson), environment, time, log);
        try
        {
            await run.LaunchAsync(cancellationToken);
            return run;
        }
        catch
        {
            run.Workspace.Dispose();
            throw;
        }
    }

    public ClientFleet NewFleet(XdsProtocol protocol, Profile profile) =>
        new(
            new AdsClientSettings(XdsAddress, protocol, $"load-{Label}", SeedConfig.ProbeBlue, SeedConfig.ProbeGreen, profile.BackoffBase, profile.BackoffMax),
            new ProbeTracker(),
            _time);

    /// <summary>Stops the host with SIGTERM (waiting for it to exit); <see cref="LaunchAsync"/> starts it again.</summary>
    public async Task StopAsync()
    {
        ApiChannel.Dispose();
        await StopProcessAsync();
    }

    /// <summary>Starts the host on the same workspace and waits until grpc.health.v1 says SERVING; throws with the host's output when it does not.</summary>
    public async Task LaunchAsync(CancellationToken cancellationToken)
    {
        _starts++;
        Process = AlbProcess.StartLoggingTo(Workspace.LogFile(_starts), _build.DllPath, Workspace.Root, HostEnvironment());
        try
        {
            await WaitServingAsync(cancellationToken);
        }
        catch
        {
            await StopProcessAsync();
            throw;
        }

        ApiChannel = GrpcChannel.ForAddress(ApiAddress);
        Api = new ModuleService.ModuleServiceClient(ApiChannel);
        if (Mutator is null)
        {
            Mutator = new WeightMutator(Api);
        }
        else
        {
            Mutator.Client = Api;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ApiChannel?.Dispose();
        if (Process is not null)
        {
            await StopProcessAsync();
        }

        Workspace.Dispose();
    }

    /// <summary>The workspace's ports, DATA_DIR and config file, Envoy disabled; the harness's extra variables last.</summary>
    private Dictionary<string, string?> HostEnvironment()
    {
        var ports = Workspace.Ports;
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["MODULE_ID"] = "load-" + _build.Label,
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
            ["DATA_DIR"] = Workspace.DataDir,
            ["ALB_CONFIG_FILE"] = Workspace.ConfigFile,
            ["SHUTDOWN_TIMEOUT"] = "5s",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var (key, value) in _environment)
        {
            environment[key] = value;
        }

        return environment;
    }

    private async Task StopProcessAsync()
    {
        if (!await Process.StopAsync(StopGrace))
        {
            Log.Info($"the {Label} host did not exit within {StopGrace.TotalSeconds:0} s after SIGTERM; it was killed");
        }

        await Process.DisposeAsync();
    }

    private async Task WaitServingAsync(CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(ApiAddress);
        var health = new Health.HealthClient(channel);
        var started = _time.GetTimestamp();
        string last = "no answer yet";
        while (_time.GetElapsedTime(started) < StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"the host exited with {Process.ExitCode} while starting:\n{Process.OutputTail()}");
            }

            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: _time.GetUtcNow().UtcDateTime.AddSeconds(2), cancellationToken: cancellationToken);
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
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
        }

        throw new TimeoutException($"the host did not serve within {StartTimeout} (last health answer: {last}):\n{Process.OutputTail()}");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
