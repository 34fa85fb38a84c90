using MarchProxy.Load.Hosting;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Scenarios;

/// <summary>
/// The host's RSS (VmRSS) before any stream, with N synced idle streams, and after they all
/// disconnected; each reading after a settle time (the host's GC runs on its own schedule).
/// </summary>
public static class IdleMemoryScenario
{
    public static async Task<IdleMemoryResult> RunAsync(HostRun run, Profile profile, CancellationToken cancellationToken)
    {
        var streams = profile.MemoryStreams;
        run.Log.Info($"{run.Label}: memory, {streams} idle streams");
        await SettleAsync(run, profile, cancellationToken);
        var before = run.Process.ReadRssBytes();
        bool synced;
        long with;
        await using (var fleet = run.NewFleet(profile.Protocol, profile))
        {
            synced = await fleet.StartAsync(streams, profile.Ramp, PropagationScenario.SyncTimeout(streams), cancellationToken);
            await SettleAsync(run, profile, cancellationToken);
            with = run.Process.ReadRssBytes();
        }

        await SettleAsync(run, profile, cancellationToken);
        var after = run.Process.ReadRssBytes();
        var result = new IdleMemoryResult(
            streams, synced, before, with, after, Math.Round((with - before) / (double)Math.Max(1, streams), 0), profile.MemorySettle.TotalSeconds);
        run.Log.Info($"{run.Label}: RSS {before / 1048576.0:F1} → {with / 1048576.0:F1} → {after / 1048576.0:F1} MiB, {result.BytesPerStream / 1024:F1} KiB per stream");
        return result;
    }

    private static async Task SettleAsync(HostRun run, Profile profile, CancellationToken cancellationToken)
    {
        // One cheap call so the reading follows some activity, then a fixed pause: RSS has no event to wait for.
        await run.Api.GetStatusAsync(new Api.V1.StatusRequest(), cancellationToken: cancellationToken);
        await Task.Delay(profile.MemorySettle, run.Time, cancellationToken);
    }
}
