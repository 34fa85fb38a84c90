using Grpc.Core;
using Grpc.Health.V1;
using MarchProxy.Api.V1;
using MarchProxy.Load.Hosting;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Scenarios;

/// <summary>
/// Calls per second of GetStatus and GetRoutes against grpc.health.v1 Check, each for the same time
/// with the same callers and connections on the same host process. Check runs first and last and the
/// two are averaged, so a drift in the machine's load affects both sides alike.
/// </summary>
public static class ReadRatioScenario
{
    public static async Task<ReadRatioResult> RunAsync(HostRun run, Profile profile, CancellationToken cancellationToken)
    {
        run.Log.Info($"{run.Label}: read rps, {profile.ReadCallers} callers, {profile.ReadDuration.TotalSeconds} s per RPC");
        using var channels = new ApiChannels(run.ApiAddress, profile.ApiConnections);
        var health = new Func<int, Func<Task>>(c =>
        {
            var client = new Health.HealthClient(channels.For(c));
            return async () => await client.CheckAsync(new HealthCheckRequest(), cancellationToken: cancellationToken);
        });
        var status = new Func<int, Func<Task>>(c =>
        {
            var client = new ModuleService.ModuleServiceClient(channels.For(c));
            return async () => await client.GetStatusAsync(new StatusRequest(), cancellationToken: cancellationToken);
        });
        var routes = new Func<int, Func<Task>>(c =>
        {
            var client = new ModuleService.ModuleServiceClient(channels.For(c));
            return async () => await client.GetRoutesAsync(new RoutesRequest(), cancellationToken: cancellationToken);
        });
        var h1 = await RateAsync(run.Time, profile, health);
        var s = await RateAsync(run.Time, profile, status);
        var r = await RateAsync(run.Time, profile, routes);
        var h2 = await RateAsync(run.Time, profile, health);
        var healthRps = (h1.Rps + h2.Rps) / 2;
        var result = new ReadRatioResult(
            profile.ReadCallers,
            profile.ApiConnections,
            profile.ReadDuration.TotalSeconds,
            Math.Round(healthRps, 1),
            Math.Round(s.Rps, 1),
            Math.Round(r.Rps, 1),
            Math.Round(s.Rps / healthRps, 3),
            Math.Round(r.Rps / healthRps, 3),
            h1.Failures + s.Failures + r.Failures + h2.Failures);
        run.Log.Info($"{run.Label}: health {result.HealthRps} rps, GetStatus {result.GetStatusRps} ({result.GetStatusRatio:P0}), GetRoutes {result.GetRoutesRps} ({result.GetRoutesRatio:P0})");
        return result;
    }

    private static async Task<(double Rps, long Failures)> RateAsync(TimeProvider time, Profile profile, Func<int, Func<Task>> callerFactory)
    {
        using var stop = new CancellationTokenSource();
        var counts = new long[profile.ReadCallers];
        var failures = new long[profile.ReadCallers];
        var calls = Enumerable.Range(0, profile.ReadCallers).Select(callerFactory).ToList();

        // A short unmeasured warm-up opens the connections and JITs the path.
        await Task.WhenAll(calls.Select(call => call()));
        var started = time.GetTimestamp();
        stop.CancelAfter(profile.ReadDuration);
        await Task.WhenAll(calls.Select((call, caller) => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await call();
                    counts[caller]++;
                }
                catch (RpcException)
                {
                    failures[caller]++;
                }
            }
        })));
        return (counts.Sum() / time.GetElapsedTime(started).TotalSeconds, failures.Sum());
    }
}
