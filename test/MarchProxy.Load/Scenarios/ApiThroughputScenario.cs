using Grpc.Core;
using MarchProxy.Api.V1;
using MarchProxy.Load.Hosting;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Scenarios;

/// <summary>
/// C callers send SetTrafficWeight back to back for a fixed time; a mutation counts when the call
/// succeeded (the host answers only once it is durable). No stream is connected.
/// </summary>
public static class ApiThroughputScenario
{
    public static async Task<ApiThroughputResult> RunAsync(HostRun run, Profile profile, CancellationToken cancellationToken)
    {
        run.Log.Info($"{run.Label}: API throughput, {profile.ApiCallers} callers for {profile.ApiDuration.TotalSeconds} s");
        var time = run.Time;
        using var channels = new ApiChannels(run.ApiAddress, profile.ApiConnections);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var latencies = new List<double>[profile.ApiCallers];
        var failures = new long[profile.ApiCallers];
        var errors = new List<string>();
        var started = time.GetTimestamp();
        stop.CancelAfter(profile.ApiDuration);
        var callers = Enumerable.Range(0, profile.ApiCallers).Select(caller => Task.Run(async () =>
        {
            var client = new ModuleService.ModuleServiceClient(channels.For(caller));
            var mine = latencies[caller] = [];
            while (!stop.IsCancellationRequested)
            {
                var (blue, green, _) = run.Mutator.Next();
                var callStarted = time.GetTimestamp();
                try
                {
                    var reply = await client.SetTrafficWeightAsync(WeightMutator.Request(blue, green), cancellationToken: cancellationToken);
                    if (reply.Success)
                    {
                        mine.Add(time.GetElapsedTime(callStarted).TotalMilliseconds);
                    }
                    else
                    {
                        failures[caller]++;
                        Remember(errors, reply.Message);
                    }
                }
                catch (RpcException ex)
                {
                    failures[caller]++;
                    Remember(errors, $"{ex.StatusCode}: {ex.Status.Detail}");
                }
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(callers);
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).ToList();
        var result = new ApiThroughputResult(
            profile.ApiCallers, profile.ApiConnections, Math.Round(seconds, 3), all.Count, failures.Sum(), Math.Round(all.Count / seconds, 1), LatencySummary.From(all), errors);
        run.Log.Info($"{run.Label}: {result.PerSecond} mutations/s, p50 {result.Latency.P50Ms} ms, {result.Failures} failed");
        return result;
    }

    private static void Remember(List<string> errors, string error)
    {
        lock (errors)
        {
            if (errors.Count < 5 && !errors.Contains(error))
            {
                errors.Add(error);
            }
        }
    }
}
