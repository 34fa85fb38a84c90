using MarchProxy.Load.Hosting;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Scenarios;

/// <summary>
/// Mutation → first and last ACK: for each fleet size, N clients sync, then SetTrafficWeight calls go
/// one at a time; each is timed from the moment the call is sent until the first and the last client
/// ACKed the RDS response carrying its weights.
/// </summary>
public static class PropagationScenario
{
    private const int WarmUp = 2;

    /// <summary>Adds a result to <paramref name="results"/> as each fleet size is done, so a failure keeps the sizes measured before it.</summary>
    public static async Task RunAsync(HostRun run, Profile profile, List<PropagationResult> results, CancellationToken cancellationToken)
    {
        foreach (var streams in profile.StreamCounts)
        {
            results.Add(await RunOneAsync(run, profile, streams, cancellationToken));
        }
    }

    private static async Task<PropagationResult> RunOneAsync(HostRun run, Profile profile, int streams, CancellationToken cancellationToken)
    {
        var time = run.Time;
        await using var fleet = run.NewFleet(profile.Protocol, profile);
        run.Log.Info($"{run.Label}: propagation, connecting {streams} {profile.Protocol} streams");
        var connectStarted = time.GetTimestamp();
        var synced = await fleet.StartAsync(streams, profile.Ramp, SyncTimeout(streams), cancellationToken);
        var connectSeconds = time.GetElapsedTime(connectStarted).TotalSeconds;
        if (!synced)
        {
            run.Log.Info($"{run.Label}: only {fleet.Synced.Count} of {streams} streams synced: {string.Join("; ", fleet.Problems())}");
            return new PropagationResult(streams, profile.Protocol, false, connectSeconds, 0, 0, LatencySummary.Empty, LatencySummary.Empty, LatencySummary.Empty, fleet.TotalNacks, fleet.TotalStreams - streams, fleet.Problems());
        }

        var mutations = profile.MutationsAt(streams);
        var rpc = new List<double>();
        var first = new List<double>();
        var last = new List<double>();
        var problems = new List<string>();
        var complete = 0;
        var hostCpu = TimeSpan.Zero;
        var clientCpu = TimeSpan.Zero;
        for (var i = 0; i < WarmUp + mutations; i++)
        {
            var measured = i >= WarmUp;
            var (blue, green, key) = run.Mutator.Next();
            var expectation = fleet.Tracker.Expect(key, streams);
            var hostCpuBefore = run.Process.ReadCpuTime();
            var clientCpuBefore = Environment.CpuUsage.TotalTime;
            var sent = time.GetTimestamp();
            await run.Mutator.SetAsync(blue, green, cancellationToken);
            var answered = time.GetTimestamp();
            var held = await Completes(expectation.AllHeld, AckTimeout(streams), cancellationToken);
            var (count, firstAt, lastAt) = expectation.Snapshot();
            if (!measured)
            {
                continue;
            }

            hostCpu += run.Process.ReadCpuTime() - hostCpuBefore;
            clientCpu += Environment.CpuUsage.TotalTime - clientCpuBefore;

            rpc.Add(time.GetElapsedTime(sent, answered).TotalMilliseconds);
            if (count > 0)
            {
                first.Add(time.GetElapsedTime(sent, firstAt).TotalMilliseconds);
            }

            if (held)
            {
                complete++;
                last.Add(time.GetElapsedTime(sent, lastAt).TotalMilliseconds);
            }
            else if (problems.Count < 5)
            {
                problems.Add($"mutation {key}: {count} of {streams} clients held it after {AckTimeout(streams).TotalSeconds} s");
            }
        }

        var result = new PropagationResult(
            streams,
            profile.Protocol,
            true,
            Math.Round(connectSeconds, 3),
            mutations,
            complete,
            LatencySummary.From(rpc),
            LatencySummary.From(first),
            LatencySummary.From(last),
            fleet.TotalNacks,
            fleet.TotalStreams - streams,
            problems,
            Math.Round(PerStreamUs(hostCpu, mutations, streams), 1),
            Math.Round(PerStreamUs(clientCpu, mutations, streams), 1));
        run.Log.Info($"{run.Label}: {streams} streams: last ACK p50 {result.LastAck.P50Ms} ms, p99 {result.LastAck.P99Ms} ms ({complete}/{mutations} complete); CPU per stream and change: host {result.HostCpuPerStreamUs} µs, clients {result.ClientCpuPerStreamUs} µs");
        return result;
    }

    private static double PerStreamUs(TimeSpan cpu, int mutations, int streams) =>
        mutations == 0 ? 0 : cpu.TotalMicroseconds / mutations / streams;

    internal static TimeSpan SyncTimeout(int streams) => TimeSpan.FromSeconds(30 + (streams * 0.05));

    internal static TimeSpan AckTimeout(int streams) => TimeSpan.FromSeconds(10 + (streams * 0.002));

    internal static async Task<bool> Completes(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
