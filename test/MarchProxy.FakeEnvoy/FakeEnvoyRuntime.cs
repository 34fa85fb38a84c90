using System.Globalization;
using System.Text.Json;

namespace MarchProxy.FakeEnvoy;

/// <summary>Everything one fake Envoy process shares between its admin API, its ADS client and its hot-restart link.</summary>
internal sealed class FakeEnvoyRuntime
{
    public const string HotRestartVersion = "11.104";
    public const string Revision = "f4c3e9b1d5a7c2e8b0f6a4d2c8e1b7f3a9d5c0e2";

    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeEnvoyRuntime(FakeCommandLine commandLine, FakeBootstrap bootstrap, FakeSettings settings, FakeLog log)
    {
        CommandLine = commandLine;
        Bootstrap = bootstrap;
        Settings = settings;
        Log = log;
        Calls = new CallLog(commandLine.RestartEpoch, settings.CallLogFile);
        State = new ServerState(commandLine.RestartEpoch, commandLine.BaseId, TimeProvider.System);
        Xds = new XdsProgress(State, () => settings.NackPattern, settings.XdsLogFile);
        Stats = new StatsStore(State, Xds, settings, Concurrency);
        OriginalStart = State.StartedAt;
    }

    public FakeCommandLine CommandLine { get; }

    public FakeBootstrap Bootstrap { get; }

    public FakeSettings Settings { get; }

    public FakeLog Log { get; }

    public CallLog Calls { get; }

    public ServerState State { get; }

    public XdsProgress Xds { get; }

    public StatsStore Stats { get; }

    /// <summary>When epoch 0 started; handed from parent to child in a hot restart.</summary>
    public DateTimeOffset OriginalStart { get; set; }

    public int Concurrency => Math.Max(1, CommandLine.Concurrency ?? Environment.ProcessorCount);

    public Task<int> Exited => _exit.Task;

    public string FullVersion => $"{Revision}/{Settings.Version}/Clean/RELEASE/BoringSSL";

    public void Exit(int code) => _exit.TrySetResult(code);

    public string ServerInfoJson()
    {
        var cmd = CommandLine;
        var node = Bootstrap.Node;
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = FullVersion,
            ["state"] = State.State,
            ["hot_restart_version"] = HotRestartVersion,
            ["command_line_options"] = new Dictionary<string, object>
            {
                ["base_id"] = cmd.BaseId.ToString(CultureInfo.InvariantCulture),
                ["use_dynamic_base_id"] = cmd.UseDynamicBaseId,
                ["base_id_path"] = cmd.BaseIdPath ?? string.Empty,
                ["concurrency"] = Concurrency,
                ["config_path"] = cmd.ConfigPath ?? string.Empty,
                ["log_level"] = cmd.LogLevel,
                ["restart_epoch"] = cmd.RestartEpoch,
                ["drain_time"] = $"{cmd.DrainTimeSeconds}s",
                ["parent_shutdown_time"] = $"{cmd.ParentShutdownTimeSeconds}s",
                ["mode"] = "Serve",
            },
            ["node"] = new Dictionary<string, object> { ["id"] = node.Id, ["cluster"] = node.Cluster, ["user_agent_name"] = "envoy" },
            ["uptime_current_epoch"] = $"{(long)State.Uptime.TotalSeconds}s",
            ["uptime_all_epochs"] = $"{(long)(TimeProvider.System.GetUtcNow() - OriginalStart).TotalSeconds}s",
        });
    }
}
