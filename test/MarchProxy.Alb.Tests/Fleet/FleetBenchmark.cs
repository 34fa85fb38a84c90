using System.Diagnostics;
using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.Alb.Tests.Fleet;

/// <summary>
/// The fleet figures of docs/BENCHMARKS.md, run on request only (it asserts correctness, not time):
/// <c>dotnet test test/MarchProxy.Alb.Tests -c Release --filter "TestCategory=FleetBenchmark"</c>.
/// </summary>
[Explicit("A benchmark: run on request, its figures go to docs/BENCHMARKS.md")]
[Category("FleetBenchmark")]
[NonParallelizable]
public sealed class FleetBenchmark
{
    private const int Mutations = 300;
    private static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(10);

    [Test]
    public async Task MutationToAck_Alb1ToAnEnvoyOfAlb3_BesideASingleFileStoreAlb()
    {
        await using var fleet = await FleetHosts.StartAsync(hosts: 3);
        await using var fleetNode = await FakeXdsNode.ConnectAsync(fleet[2].Address(EndpointRole.Xds), "bench-alb-3");
        var etcd = await MeasureAsync(fleet[0].Client, fleetNode);

        using var directory = new TempDirectory();
        await using var single = await AlbTestHost.StartAsync(directory);
        await using var singleNode = await FakeXdsNode.ConnectAsync(single.Address(EndpointRole.Xds), "bench-file");
        var file = await MeasureAsync(single.Client, singleNode);

        TestContext.Out.WriteLine($"etcd fleet, ALB-1 -> ACK at ALB-3: {Describe(etcd)}");
        TestContext.Out.WriteLine($"file store, one ALB -> ACK:        {Describe(file)}");
        etcd.Should().HaveCount(Mutations);
        file.Should().HaveCount(Mutations);
    }

    [Test]
    public async Task Throughput_16CallersThroughThreeAlbs()
    {
        await using var fleet = await FleetHosts.StartAsync(hosts: 3);
        await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        var applied = 0;
        var aborted = 0;
        var watch = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
        {
            var client = fleet[c % 3].Client;
            for (var k = 0; watch.Elapsed < ThroughputWindow; k++)
            {
                try
                {
                    await client.UpsertRouteAsync(Requests.UpsertRoute($"c{c}-{k % 20}", "web", $"/c{c}/{k}/"));
                    Interlocked.Increment(ref applied);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted)
                {
                    Interlocked.Increment(ref aborted);
                }
            }
        }));
        await Task.WhenAll(callers).WaitAsync(ThroughputWindow * 3);
        var seconds = watch.Elapsed.TotalSeconds;

        TestContext.Out.WriteLine($"16 callers through 3 ALBs on one etcd: {applied / seconds:F0} mutations/s ({applied} applied, {aborted} ABORTED in {seconds:F1} s)");
        applied.Should().BePositive();
    }

    private static async Task<List<double>> MeasureAsync(ModuleService.ModuleServiceClient client, FakeXdsNode node)
    {
        var latencies = new List<double>(Mutations);
        for (var i = 0; i < Mutations; i++)
        {
            var watch = Stopwatch.StartNew();
            var request = Requests.UpsertCluster("bench");
            request.Cluster.ConnectTimeoutMs = (uint)(1000 + i);
            var reply = await client.UpsertClusterAsync(request).ResponseAsync.DefaultTimeout();
            await node.WaitForAsync(ResourceTypes.Cluster, reply.Version);
            latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }

    private static string Describe(List<double> latencies)
    {
        var sorted = latencies.Order().ToList();
        return $"p50 {sorted[sorted.Count / 2]:F1} ms, p99 {sorted[(int)(sorted.Count * 0.99)]:F1} ms, max {sorted[^1]:F1} ms over {sorted.Count}";
    }
}
