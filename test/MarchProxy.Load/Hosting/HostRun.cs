using Grpc.Net.Client;
using MarchProxy.Api.V1;
using MarchProxy.Load.Ads;

namespace MarchProxy.Load.Hosting;

/// <summary>
/// One host under test for a group of scenarios: its workspace, the running process, an API channel
/// and the weight mutator. Restart keeps the workspace (DATA_DIR, config, ports).
/// </summary>
public sealed class HostRun : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

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

    public AlbHostProcess Process { get; private set; } = null!;

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
            new AdsClientSettings(Process.XdsAddress, protocol, $"load-{Label}", SeedConfig.ProbeBlue, SeedConfig.ProbeGreen, profile.BackoffBase, profile.BackoffMax),
            new ProbeTracker(),
            _time);

    /// <summary>Stops the host with SIGTERM (waiting for it to exit); <see cref="LaunchAsync"/> starts it again.</summary>
    public async Task StopAsync()
    {
        ApiChannel.Dispose();
        await Process.DisposeAsync();
    }

    /// <summary>Starts the host on the same workspace and waits until it serves.</summary>
    public async Task LaunchAsync(CancellationToken cancellationToken)
    {
        _starts++;
        Process = await AlbHostProcess.StartAsync(_build, Workspace, _starts, _environment, StartTimeout, _time, cancellationToken);
        ApiChannel = GrpcChannel.ForAddress(Process.ApiAddress);
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
            await Process.DisposeAsync();
        }

        Workspace.Dispose();
    }
}
