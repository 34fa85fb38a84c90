using Grpc.Health.V1;
using MarchProxy.Api.V1;
using MarchProxy.Load.Hosting;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Scenarios;

/// <summary>
/// One caller, one call at a time: grpc.health.v1 Check (the unary floor), GetStatus, SetTrafficWeight
/// with no stream connected, and a 4 KiB write + fsync on the DATA_DIR's file system (what each
/// durable mutation pays at least once).
/// </summary>
public static class UnaryFloorScenario
{
    public static async Task<UnaryFloorResult> RunAsync(HostRun run, Profile profile, CancellationToken cancellationToken)
    {
        run.Log.Info($"{run.Label}: unary floor, {profile.FloorSamples} serial calls each");
        var time = run.Time;
        var health = new Health.HealthClient(run.ApiChannel);
        var samples = profile.FloorSamples;
        var check = await TimeAsync(time, samples, async () => await health.CheckAsync(new HealthCheckRequest(), cancellationToken: cancellationToken));
        var status = await TimeAsync(time, samples, async () => await run.Api.GetStatusAsync(new StatusRequest(), cancellationToken: cancellationToken));
        var mutate = await TimeAsync(time, samples, async () =>
        {
            var (blue, green, _) = run.Mutator.Next();
            await run.Mutator.SetAsync(blue, green, cancellationToken);
        });
        var fsync = Fsync(time, samples, Path.Combine(run.Workspace.Root, "fsync-probe"));
        return new UnaryFloorResult(check, status, mutate, fsync);
    }

    private static async Task<LatencySummary> TimeAsync(TimeProvider time, int samples, Func<Task> call)
    {
        for (var i = 0; i < Math.Min(10, samples); i++)
        {
            await call();
        }

        var ms = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var started = time.GetTimestamp();
            await call();
            ms.Add(time.GetElapsedTime(started).TotalMilliseconds);
        }

        return LatencySummary.From(ms);
    }

    private static LatencySummary Fsync(TimeProvider time, int samples, string path)
    {
        var block = new byte[4096];
        var ms = new List<double>(samples);
        try
        {
            for (var i = 0; i < samples; i++)
            {
                block[0] = (byte)i;
                var started = time.GetTimestamp();
                using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
                {
                    file.Write(block);
                    file.Flush(flushToDisk: true);
                }

                ms.Add(time.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        finally
        {
            File.Delete(path);
        }

        return LatencySummary.From(ms);
    }
}
