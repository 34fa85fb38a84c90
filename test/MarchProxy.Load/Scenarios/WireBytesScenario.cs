using MarchProxy.Load.Hosting;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Scenarios;

/// <summary>
/// One client on a host seeded with many routes: the bytes it receives (serialized response sizes) for
/// each weight change of one route, and the mutation → ACK time at that size.
/// </summary>
public static class WireBytesScenario
{
    public static async Task<WireBytesResult> RunAsync(HostRun run, Profile profile, CancellationToken cancellationToken)
    {
        var time = run.Time;
        run.Log.Info($"{run.Label}: bytes per weight change at {profile.WireRoutes} routes");
        await using var fleet = run.NewFleet(profile.Protocol, profile);
        var synced = await fleet.StartAsync(1, 1, PropagationScenario.SyncTimeout(1), cancellationToken);
        if (!synced)
        {
            return new WireBytesResult(profile.WireRoutes, profile.WireClusters, profile.Protocol, false, 0, 0, 0, 0, 0, 0, LatencySummary.Empty);
        }

        var client = fleet.Clients[0];
        var initial = client.Counters.Bytes;
        var bytes = new List<long>();
        var responses = new List<long>();
        var last = new List<double>();
        for (var i = 0; i < profile.WireMutations; i++)
        {
            var (blue, green, key) = run.Mutator.Next();
            var bytesBefore = client.Counters.Bytes;
            var responsesBefore = client.Counters.Responses;
            var expectation = fleet.Tracker.Expect(key, 1);
            var sent = time.GetTimestamp();
            await run.Mutator.SetAsync(blue, green, cancellationToken);
            if (!await PropagationScenario.Completes(expectation.AllHeld, PropagationScenario.AckTimeout(1), cancellationToken))
            {
                continue;
            }

            last.Add(time.GetElapsedTime(sent, expectation.Snapshot().Last).TotalMilliseconds);
            bytes.Add(client.Counters.Bytes - bytesBefore);
            responses.Add(client.Counters.Responses - responsesBefore);
        }

        var result = new WireBytesResult(
            profile.WireRoutes,
            profile.WireClusters,
            profile.Protocol,
            true,
            initial,
            profile.WireMutations,
            bytes.Count,
            bytes.Count == 0 ? 0 : Math.Round(bytes.Average(), 0),
            bytes.DefaultIfEmpty(0).Max(),
            responses.Count == 0 ? 0 : Math.Round(responses.Average(), 2),
            LatencySummary.From(last));
        run.Log.Info($"{run.Label}: {result.MeanBytesPerChange / 1024:F1} KiB per weight change, last ACK p50 {result.LastAck.P50Ms} ms");
        return result;
    }
}
