using System.Net;
using System.Text.Json;
using Grpc.Core;
using MarchProxy.Api.V1;

namespace MarchProxy.Process.Tests;

/// <summary>kill -9 of Envoy, and of the ALB itself, with real processes and the same DATA_DIR.</summary>
public sealed class CrashTests
{
    [Test]
    public async Task KillEnvoy_Sigkill_RestartedAndReadyAgain()
    {
        await using var scenario = AlbScenario.Supervised();
        await scenario.StartAsync();
        await scenario.WaitReadyAsync();
        var first = EnvoyPid(scenario);

        PosixSignal.Send(first, PosixSignal.SigKill).Should().BeTrue();
        await Poll.UntilAsync(async () => await scenario.ReadyzAsync() == HttpStatusCode.ServiceUnavailable, "/readyz to notice Envoy is gone");
        await scenario.WaitReadyAsync();

        var status = await scenario.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        status.EnvoyState.Should().Be("LIVE");
        status.Health.Should().Be(HealthStatus.Healthy);
        status.Metadata["envoy_restart_count"].Should().Be("1");
        EnvoyPid(scenario).Should().NotBe(first);
    }

    [Test]
    public async Task KillAlb_DuringAStreamOfMutations_RestartKeepsEveryAcknowledgedOneAndEnvoyResyncsWithoutARemoval()
    {
        await using var scenario = AlbScenario.Supervised();
        var alb = await scenario.StartAsync();
        await scenario.WaitReadyAsync();

        // Mutations one after another; the ALB is killed once 15 are acknowledged, while the next is in flight.
        var acknowledged = new List<string>();
        for (var i = 1; ; i++)
        {
            var name = $"c{i:D3}";
            try
            {
                var request = new UpsertClusterRequest { Cluster = new ClusterConfig { Name = name, Endpoints = { new Endpoint { Address = "10.0.0.1", Port = 8080 } } } };
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await scenario.Client.UpsertClusterAsync(request, cancellationToken: limit.Token).ResponseAsync;
                acknowledged.Add(name);
            }
            catch (RpcException)
            {
                break;
            }

            if (acknowledged.Count == 15)
            {
                _ = scenario.Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = new ClusterConfig { Name = "in-flight", Endpoints = { new Endpoint { Address = "10.0.0.2", Port = 80 } } } });
                alb.Signal(PosixSignal.SigKill);
            }
        }

        (await alb.WaitForExitAsync()).Should().Be(137);
        await scenario.StartAsync();
        await scenario.WaitReadyAsync();

        // The orphaned Envoy reconnects at once (so the ALB is ready), and is adopted by a hot restart into epoch 1.
        await Poll.UntilAsync(
            async () => await scenario.Client.GetStatusAsync(new StatusRequest()).ResponseAsync is { EnvoyState: "LIVE" } status
                && status.Metadata.TryGetValue("envoy_epoch", out var epoch) && epoch == "1",
            "the adoption of the running Envoy into epoch 1",
            TimeSpan.FromSeconds(30));

        var clusters = (await scenario.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.Select(c => c.Name).ToList();
        clusters.Should().Contain(acknowledged, "a mutation acknowledged before the crash is never lost");
        await Poll.UntilAsync(
            async () => acknowledged.All((await EnvoyClustersAsync(scenario)).Contains),
            "the adopted Envoy to hold every acknowledged cluster");
        var removals = scenario.ReadXdsLog().Where(l => !l.EndsWith("removed=", StringComparison.Ordinal)).ToList();
        removals.Should().BeEmpty("Envoy resyncs with the restarted ALB without losing a resource in between");
        scenario.ReadXdsLog().Select(l => l.Split(' ')[0]).Distinct().Should().Equal(["0", "1"], "epoch 0 resynced with the restarted ALB, then epoch 1 took over");
    }

    private static int EnvoyPid(AlbScenario scenario) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(scenario.DataDir, "envoy.pid"))).RootElement.GetProperty("Pid").GetInt32();

    private static async Task<HashSet<string>> EnvoyClustersAsync(AlbScenario scenario)
    {
        using var xds = JsonDocument.Parse(await scenario.GetAdminAsync("/fake/xds"));
        return xds.RootElement.GetProperty("resources").TryGetProperty("cds", out var cds)
            ? cds.EnumerateArray().Select(c => c.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
    }
}
