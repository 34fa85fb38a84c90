using MarchProxy.Load.Hosting;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Scenarios;

/// <summary>
/// N synced streams; the host is stopped with SIGTERM and started again on the same DATA_DIR and
/// ports. Measured: the time the host was away (SIGTERM → serving again) and the time from serving
/// until every client is synced again. The clients retry with jittered exponential backoff
/// (base and cap in the result).
/// </summary>
public static class ReconnectStormScenario
{
    private static readonly TimeSpan DropTimeout = TimeSpan.FromSeconds(30);

    public static async Task<ReconnectStormResult> RunAsync(HostRun run, Profile profile, CancellationToken cancellationToken)
    {
        var streams = profile.StormStreams;
        var time = run.Time;
        run.Log.Info($"{run.Label}: reconnect storm, {streams} streams");
        await using var fleet = run.NewFleet(profile.Protocol, profile);
        var before = await fleet.StartAsync(streams, profile.Ramp, PropagationScenario.SyncTimeout(streams), cancellationToken);
        var stopping = time.GetTimestamp();
        await run.StopAsync();
        var stopped = time.GetTimestamp();
        await fleet.Synced.WaitUntilAsync(n => n == 0, DropTimeout, cancellationToken);
        await run.LaunchAsync(cancellationToken);
        var serving = time.GetTimestamp();
        var after = await fleet.WaitAllSyncedAsync(PropagationScenario.SyncTimeout(streams), cancellationToken);
        var done = time.GetTimestamp();
        var result = new ReconnectStormResult(
            streams,
            before,
            after,
            fleet.Synced.Count,
            Math.Round(time.GetElapsedTime(stopping, stopped).TotalSeconds, 3),
            Math.Round(time.GetElapsedTime(stopping, serving).TotalSeconds, 3),
            Math.Round(time.GetElapsedTime(serving, done).TotalSeconds, 3),
            Math.Round(time.GetElapsedTime(stopping, done).TotalSeconds, 3),
            profile.BackoffBase.TotalMilliseconds,
            profile.BackoffMax.TotalMilliseconds,
            after ? [] : fleet.Problems());
        run.Log.Info($"{run.Label}: away {result.DowntimeSeconds} s, all {streams} synced {result.SyncAfterServingSeconds} s after serving ({result.SyncedAfter} synced)");
        return result;
    }
}
