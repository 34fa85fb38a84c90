using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// Serve mode. Signals as in Envoy: SIGTERM and SIGINT exit at once (code 0), SIGHUP is logged and
/// ignored. Hot restart as in Envoy: epoch N+1 asks epoch N to shut its admin listener down, binds the
/// same admin port (reporting PRE_INITIALIZING/INITIALIZING until its xDS is in), and once LIVE tells
/// epoch N to drain and, after --parent-shutdown-time-s, to terminate.
/// </summary>
internal static class FakeEnvoyServer
{
    public static async Task<int> RunAsync(FakeEnvoyRuntime runtime)
    {
        var cmd = runtime.CommandLine;
        var log = runtime.Log;
        var settings = runtime.Settings;
        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnTerminate(context, runtime, "SIGTERM", settings.IgnoreSigterm));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnTerminate(context, runtime, "SIGINT", ignore: false));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            runtime.Calls.Add("SIGNAL SIGHUP");
            log.Warn("main", "caught and eating SIGHUP. See documentation for how to hot restart.");
        });

        log.Warn("main", $"initializing epoch {cmd.RestartEpoch} (base id={cmd.BaseId}, hot restart version={FakeEnvoyRuntime.HotRestartVersion})");
        log.Info("main", $"statically linked extensions: none (fake Envoy {runtime.FullVersion})");
        if (cmd.BaseIdPath is { } baseIdPath)
        {
            await File.WriteAllTextAsync(baseIdPath, cmd.BaseId.ToString(CultureInfo.InvariantCulture));
        }

        using var link = HotRestartLink.TryBind(cmd.BaseId, cmd.RestartEpoch);
        if (link is null)
        {
            log.Critical("main", $"unable to bind domain socket with base_id={cmd.BaseId}, id={cmd.RestartEpoch}, errno=98 (see --base-id option)");
            return 1;
        }

        using var parent = cmd.RestartEpoch > 0 ? await ConnectParentAsync(runtime, stopping.Token) : null;
        if (settings.StartDelayMs > 0)
        {
            await Task.Delay(settings.StartDelayMs, stopping.Token);
        }

        AdminServer admin;
        try
        {
            admin = await AdminServer.StartAsync(runtime);
        }
        catch (IOException ex)
        {
            log.Critical("main", $"cannot bind '{runtime.Bootstrap.AdminAddress}:{runtime.Bootstrap.AdminPort}': {ex.Message}");
            return 1;
        }

        await using (admin)
        {
            log.Info("main", $"admin address: {runtime.Bootstrap.AdminAddress}:{runtime.Bootstrap.AdminPort}");
            if (settings.FailEpoch == cmd.RestartEpoch)
            {
                log.Critical("main", "simulated failure during initialization (FAKE_ENVOY_FAIL_EPOCH)");
                return 1;
            }

            _ = link.ServeChildrenAsync(message => OnChildRequestAsync(runtime, admin, message), stopping.Token);
            if (settings.StuckEpoch != cmd.RestartEpoch)
            {
                _ = new AdsClient(runtime.Bootstrap, runtime.Xds, settings, log).RunAsync(stopping.Token);
            }

            if (runtime.Bootstrap.InitialFetchTimeout is { } timeout && timeout > TimeSpan.Zero)
            {
                _ = Task.Delay(timeout, stopping.Token).ContinueWith(_ => runtime.Xds.InitialFetchTimedOut(), TaskScheduler.Default);
            }

            _ = Task.Run(() => AfterLiveAsync(runtime, parent, stopping.Token), stopping.Token);
            var code = await runtime.Exited;
            await stopping.CancelAsync();
            return code;
        }
    }

    private static void OnTerminate(PosixSignalContext context, FakeEnvoyRuntime runtime, string name, bool ignore)
    {
        context.Cancel = true;
        runtime.Calls.Add("SIGNAL " + name);
        if (ignore)
        {
            runtime.Log.Warn("main", $"caught {name} and ignoring it (FAKE_ENVOY_IGNORE_SIGTERM)");
            return;
        }

        runtime.Log.Warn("main", $"caught ENVOY_{name}");
        runtime.Exit(0);
    }

    private static async Task<ParentConnection?> ConnectParentAsync(FakeEnvoyRuntime runtime, CancellationToken cancellationToken)
    {
        var cmd = runtime.CommandLine;
        var parent = await HotRestartLink.ConnectToParentAsync(cmd.BaseId, cmd.RestartEpoch - 1, cancellationToken);
        if (parent is null)
        {
            runtime.Log.Warn("main", $"no parent epoch {cmd.RestartEpoch - 1} with base id {cmd.BaseId}; starting without one");
            return null;
        }

        var reply = await parent.RequestAsync("shutdown_admin", expectReply: true, cancellationToken);
        if (reply?.Split(' ') is ["ok", var seconds] && long.TryParse(seconds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
        {
            runtime.OriginalStart = DateTimeOffset.FromUnixTimeSeconds(start);
        }

        return parent;
    }

    private static async Task<string?> OnChildRequestAsync(FakeEnvoyRuntime runtime, AdminServer admin, string message)
    {
        switch (message)
        {
            case "shutdown_admin":
                runtime.Log.Info("main", "shutting down admin due to child request");
                await admin.StopAsync();
                return $"ok {runtime.OriginalStart.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
            case "drain_listeners":
                runtime.Log.Info("main", "draining listeners due to child request");
                runtime.State.StartDrainingListeners();
                return null;
            case "terminate":
                runtime.Log.Info("main", "shutting down due to child request");
                runtime.Exit(0);
                return null;
            default:
                runtime.Log.Error("main", $"child sent an unknown hot restart message '{message}'; ignoring");
                return null;
        }
    }

    private static async Task AfterLiveAsync(FakeEnvoyRuntime runtime, ParentConnection? parent, CancellationToken cancellationToken)
    {
        await runtime.State.Live.WaitAsync(cancellationToken);
        runtime.Log.Info("main", "all clusters initialized. initializing init manager");
        runtime.Log.Info("main", "starting main dispatch loop (server LIVE)");
        if (parent is null)
        {
            return;
        }

        await parent.RequestAsync("drain_listeners", expectReply: false, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(runtime.CommandLine.ParentShutdownTimeSeconds), cancellationToken);
        await parent.RequestAsync("terminate", expectReply: false, cancellationToken);
    }

    /// <summary>Reads a FAKE_ENVOY_STATS_FILE preset.</summary>
    public static void LoadStatsFile(FakeEnvoyRuntime runtime)
    {
        if (runtime.Settings.StatsFile is not { } file)
        {
            return;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(file));
        runtime.Stats.Apply(document.RootElement);
    }
}
