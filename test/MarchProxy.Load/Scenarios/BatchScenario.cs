using Grpc.Core;
using MarchProxy.Api.V1;
using MarchProxy.Load.Hosting;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Scenarios;

/// <summary>
/// ApplyBatch, in two parts on one host. Throughput first, on a small state: <see cref="ThroughputRoutes"/>
/// routes, then callers send batches of <see cref="ItemsPerBatch"/> SetTrafficWeight items back to back
/// (each batch one version; an item counts when its batch succeeded). Then bulk: one stream synced, one
/// batch that adds <see cref="Profile.BatchRoutes"/> routes (up to the 10,000-route limit) and ends with
/// new probe weights, timed from sending it to the answer and to the stream's ACK of the RDS response carrying those weights.
/// </summary>
public static class BatchScenario
{
    public const int ThroughputRoutes = 100;
    public const int ItemsPerBatch = 100;
    private const string TputBlue = "tput-blue";
    private const string TputGreen = "tput-green";

    public static async Task<BatchResult> RunAsync(HostRun run, Profile profile, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        // Their own clusters: the load clients recognise the probe route by its two clusters.
        var setup = new BatchRequest { Items = { Cluster(TputBlue), Cluster(TputGreen) } };
        setup.Items.AddRange(Routes("tput", ThroughputRoutes, TputBlue).Items);
        await run.Api.ApplyBatchAsync(setup, cancellationToken: cancellationToken);
        var (seconds, batches, failures, latency) = await ThroughputAsync(run, profile, errors, cancellationToken);
        var itemsPerSecond = Math.Round(batches * ItemsPerBatch / seconds, 1);
        run.Log.Info($"{run.Label}: ApplyBatch of {ItemsPerBatch}: {itemsPerSecond} items/s, batch p50 {latency.P50Ms} ms, {failures} failed");

        // Back to the seed, so the bulk batch reaches the route limit exactly.
        var cleanup = new BatchRequest();
        cleanup.Items.AddRange(Enumerable.Range(0, ThroughputRoutes).Select(i => new BatchItem { DeleteRoute = new DeleteRequest { Name = $"tput-{i}" } }));
        cleanup.Items.Add(new BatchItem { DeleteCluster = new DeleteRequest { Name = TputBlue } });
        cleanup.Items.Add(new BatchItem { DeleteCluster = new DeleteRequest { Name = TputGreen } });
        await run.Api.ApplyBatchAsync(cleanup, cancellationToken: cancellationToken);

        var time = run.Time;
        await using var fleet = run.NewFleet(profile.Protocol, profile);
        var synced = await fleet.StartAsync(1, profile.Ramp, PropagationScenario.SyncTimeout(1), cancellationToken);
        if (!synced)
        {
            errors.AddRange(fleet.Problems());
            return new BatchResult(0, false, double.NaN, double.NaN, false, profile.ApiCallers, ItemsPerBatch, seconds, batches, failures, itemsPerSecond, latency, errors);
        }

        var bulk = Routes("bulk", profile.BatchRoutes, SeedConfig.ProbeBlue);
        var (blue, green, key) = run.Mutator.Next();
        bulk.Items.Add(new BatchItem { SetTrafficWeight = WeightMutator.Request(blue, green) });
        var expectation = fleet.Tracker.Expect(key, 1);
        var sent = time.GetTimestamp();
        await run.Api.ApplyBatchAsync(bulk, cancellationToken: cancellationToken);
        var answered = time.GetElapsedTime(sent).TotalMilliseconds;
        var held = await PropagationScenario.Completes(expectation.AllHeld, PropagationScenario.AckTimeout(1), cancellationToken);
        var (_, _, lastAt) = expectation.Snapshot();
        var lastAck = held ? time.GetElapsedTime(sent, lastAt).TotalMilliseconds : double.NaN;
        run.Log.Info($"{run.Label}: ApplyBatch of {bulk.Items.Count} items: answered in {answered:F1} ms, ACKed in {lastAck:F1} ms");
        return new BatchResult(
            bulk.Items.Count, true, Math.Round(answered, 3), Math.Round(lastAck, 3), held, profile.ApiCallers, ItemsPerBatch, seconds, batches, failures, itemsPerSecond, latency, errors);
    }

    private static async Task<(double Seconds, long Batches, long Failures, LatencySummary Latency)> ThroughputAsync(
        HostRun run, Profile profile, List<string> errors, CancellationToken cancellationToken)
    {
        var time = run.Time;
        using var channels = new ApiChannels(run.ApiAddress, profile.ApiConnections);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var latencies = new List<double>[profile.ApiCallers];
        var failures = new long[profile.ApiCallers];
        var sequence = 0;
        var started = time.GetTimestamp();
        stop.CancelAfter(profile.ApiDuration);
        var callers = Enumerable.Range(0, profile.ApiCallers).Select(caller => Task.Run(async () =>
        {
            var client = new ModuleService.ModuleServiceClient(channels.For(caller));
            var mine = latencies[caller] = [];
            while (!stop.IsCancellationRequested)
            {
                // Weights no earlier batch used, so no batch is answered "unchanged".
                var blue = 1 + (Interlocked.Increment(ref sequence) % 999);
                var callStarted = time.GetTimestamp();
                try
                {
                    await client.ApplyBatchAsync(Weights(blue), cancellationToken: cancellationToken);
                    mine.Add(time.GetElapsedTime(callStarted).TotalMilliseconds);
                }
                catch (RpcException ex)
                {
                    failures[caller]++;
                    lock (errors)
                    {
                        if (errors.Count < 5)
                        {
                            errors.Add($"{ex.StatusCode}: {ex.Status.Detail}");
                        }
                    }
                }
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(callers);
        var all = latencies.SelectMany(l => l).ToList();
        return (Math.Round(time.GetElapsedTime(started).TotalSeconds, 3), all.Count, failures.Sum(), LatencySummary.From(all));
    }

    private static BatchItem Cluster(string name) => new()
    {
        UpsertCluster = new UpsertClusterRequest
        {
            Cluster = new ClusterConfig { Name = name, Endpoints = { new Endpoint { Address = "127.0.0.1", Port = 9 } } },
        },
    };

    private static BatchRequest Routes(string prefix, int count, string cluster)
    {
        var request = new BatchRequest();
        for (var i = 0; i < count; i++)
        {
            var name = $"{prefix}-{i}";
            request.Items.Add(new BatchItem
            {
                UpsertRoute = new UpsertRouteRequest
                {
                    Route = new RouteConfig { Name = name, Prefix = $"/{name}/", ClusterName = cluster, Enabled = true },
                },
            });
        }

        return request;
    }

    private static BatchRequest Weights(int blue)
    {
        var request = new BatchRequest();
        for (var i = 0; i < ItemsPerBatch; i++)
        {
            request.Items.Add(new BatchItem
            {
                SetTrafficWeight = new TrafficWeightRequest
                {
                    RouteName = $"tput-{i % ThroughputRoutes}",
                    Weights =
                    {
                        new TrafficWeight { BackendName = TputBlue, Weight = blue },
                        new TrafficWeight { BackendName = TputGreen, Weight = 1000 - blue },
                    },
                },
            });
        }

        return request;
    }
}
