using System.Text.Json;

namespace MarchProxy.Load.Tests;

/// <summary>
/// The harness end to end against the real host (a child process): a cut-down short profile must
/// produce complete, consistent results and its three files. No timing is asserted.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HarnessRunTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    private static Profile Tiny => Profile.ShortRun with
    {
        StreamCounts = [1, 3],
        Mutations = 5,
        MutationsLarge = 5,
        FloorSamples = 10,
        ApiCallers = 4,
        ApiDuration = TimeSpan.FromSeconds(1),
        ReadCallers = 4,
        ReadDuration = TimeSpan.FromMilliseconds(500),
        MemoryStreams = 3,
        MemorySettle = TimeSpan.FromMilliseconds(200),
        StormStreams = 3,
        WireRoutes = 200,
        WireClusters = 20,
        WireMutations = 3,
        BatchRoutes = 50,
    };

    [Test]
    public async Task RunAsync_ShortProfileWithFewStreams_MeasuresEveryScenarioCompletely()
    {
        using var output = new TempDirectory();
        var options = new HarnessOptions
        {
            Profile = Tiny,
            HostDirectory = AlbHostLocation.Directory,
            OutputDirectory = output.Path,

            // The restart waits for the shutdown timeout while streams are open; keep the test short.
            HostEnvironment = new Dictionary<string, string>(StringComparer.Ordinal) { ["SHUTDOWN_TIMEOUT"] = "3s" },
        };

        var results = await new Harness(options, TimeProvider.System, new RunLog(TestContext.Progress, TimeProvider.System))
            .RunAsync(CancellationToken.None).DefaultTimeout(RunTimeout);

        RunVerdict.IsComplete(results, out var reason).Should().BeTrue(reason);
        var now = results.Now;
        now.Errors.Should().BeEmpty();
        now.Propagation.Select(p => p.Streams).Should().Equal(1, 3);
        foreach (var p in now.Propagation)
        {
            p.AllSynced.Should().BeTrue();
            p.Complete.Should().Be(5);
            p.LastAck.Count.Should().Be(5, "every measured mutation reached every client");
            p.FirstAck.Count.Should().Be(5);
            p.Rpc.Count.Should().Be(5);
            p.FirstAck.P50Ms.Should().BeLessThanOrEqualTo(p.LastAck.P50Ms);
            p.LastAck.P99Ms.Should().BeLessThanOrEqualTo(p.LastAck.MaxMs);
            p.Nacks.Should().Be(0);
        }

        now.UnaryFloor!.HealthCheck.Count.Should().Be(10);
        now.UnaryFloor.SetTrafficWeight.Count.Should().Be(10);
        now.UnaryFloor.Fsync.Count.Should().Be(10);
        now.ApiThroughput!.Mutations.Should().BePositive();
        now.ApiThroughput.Failures.Should().Be(0);
        now.ApiThroughput.Latency.Count.Should().Be((int)now.ApiThroughput.Mutations);
        now.ReadRatio!.Failures.Should().Be(0);
        now.ReadRatio.HealthRps.Should().BePositive();
        now.ReadRatio.GetStatusRps.Should().BePositive();
        now.ReadRatio.GetRoutesRps.Should().BePositive();
        now.IdleMemory!.AllSynced.Should().BeTrue();
        now.IdleMemory.RssBeforeBytes.Should().BePositive();
        now.IdleMemory.RssWithStreamsBytes.Should().BePositive();
        now.ReconnectStorm!.AllSyncedBefore.Should().BeTrue();
        now.ReconnectStorm.AllSyncedAfter.Should().BeTrue();
        now.ReconnectStorm.SyncedAfter.Should().Be(3);
        now.WireBytes!.Complete.Should().Be(3);
        now.WireBytes.MeanBytesPerChange.Should().BePositive();
        now.WireBytes.MeanResponsesPerChange.Should().BeGreaterThanOrEqualTo(1);
        now.WireBytes.InitialSyncBytes.Should().BeGreaterThan((long)now.WireBytes.MeanBytesPerChange, "the first sync carries every resource");
        now.Batch!.BulkHeld.Should().BeTrue("the stream ACKed the bulk batch's probe weights");
        now.Batch.BulkItems.Should().Be(51);
        now.Batch.Batches.Should().BePositive();
        now.Batch.Failures.Should().Be(0);
        now.Batch.BatchLatency.Count.Should().Be((int)now.Batch.Batches);
        results.Machine.Cores.Should().Be(Environment.ProcessorCount);
        results.Load!.Samples.Should().BePositive();

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output.Combine(Harness.ResultsJson)));
        json.RootElement.GetProperty("now").GetProperty("propagation").GetArrayLength().Should().Be(2);
        json.RootElement.GetProperty("machine").GetProperty("cores").GetInt32().Should().Be(Environment.ProcessorCount);
        (await File.ReadAllTextAsync(output.Combine(Harness.ResultsMarkdown))).Should().Contain("## Summary").And.Contain("→ last of 3 streams ACKed, p99");
        (await File.ReadAllTextAsync(output.Combine(Harness.PlotSvg))).Should().StartWith("<svg").And.Contain("<polyline");
    }

    [Test]
    public async Task RunAsync_WithBaselineHost_MeasuresBothBuildsInOneRun()
    {
        using var output = new TempDirectory();
        var profile = Tiny with { StreamCounts = [2], Only = new HashSet<string>(StringComparer.Ordinal) { "propagation" } };
        var options = new HarnessOptions
        {
            Profile = profile,
            HostDirectory = AlbHostLocation.Directory,
            BaselineDirectory = AlbHostLocation.Directory,
            OutputDirectory = output.Path,
        };

        var results = await new Harness(options, TimeProvider.System, new RunLog(TestContext.Progress, TimeProvider.System))
            .RunAsync(CancellationToken.None).DefaultTimeout(RunTimeout);

        RunVerdict.IsComplete(results, out var reason).Should().BeTrue(reason);
        results.Baseline.Should().NotBeNull();
        foreach (var build in new[] { results.Baseline!, results.Now })
        {
            build.Propagation.Should().ContainSingle().Which.Complete.Should().Be(5);
            build.ApiThroughput.Should().BeNull("only propagation was asked for");
        }

        var markdown = await File.ReadAllTextAsync(output.Combine(Harness.ResultsMarkdown));
        markdown.Should().Contain("| measure | baseline | now | goal |");
        (await File.ReadAllTextAsync(output.Combine(Harness.PlotSvg))).Should().Contain(">baseline<").And.Contain(">now<");
    }
}
