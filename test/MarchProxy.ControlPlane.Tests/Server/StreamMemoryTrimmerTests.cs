using System.Diagnostics;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MarchProxy.ControlPlane.Tests.Server;

public sealed class StreamMemoryTrimmerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly AckLedger _ledger;
    private readonly SnapshotCache _cache = new();

    public StreamMemoryTrimmerTests() => _ledger = new AckLedger(_time);

    private static StreamMemoryOptions Options(int threshold) => new() { TrimAfterStreamChange = threshold, QuietPeriod = TimeSpan.FromSeconds(2) };

    [Test]
    public async Task ExecuteAsync_StreamsConnectThenStayStill_CollectsOnceAndLogsTheCount()
    {
        var collected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collections = 0;
        var logger = new FakeLogger();
        using var trimmer = new StreamMemoryTrimmer(_ledger, _cache, _time, Options(threshold: 3), logger, () =>
        {
            Interlocked.Increment(ref collections);
            collected.TrySetResult();
        });
        await trimmer.StartAsync(CancellationToken.None);
        var trackers = Enumerable.Range(0, 3).Select(i => _ledger.Connect($"envoy-{i}", NodeKind.Envoy)).ToList();

        await AdvanceUntilAsync(collected.Task);
        await trimmer.StopAsync(CancellationToken.None).DefaultTimeout();

        collections.Should().Be(1);
        logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 1120)
            .Which.StructuredState.Should().Contain(new KeyValuePair<string, string?>("Streams", "3"));
        trackers.ForEach(t => t.Dispose());
    }

    [Test]
    public async Task ExecuteAsync_TurnedOff_EndsAtOnce()
    {
        using var trimmer = new StreamMemoryTrimmer(_ledger, _cache, _time, Options(threshold: 0), NullLogger.Instance, () => Assert.Fail("collected while turned off"));

        await trimmer.StartAsync(CancellationToken.None);

        await trimmer.ExecuteTask!.DefaultTimeout();
    }

    [Test]
    public void ConnectedStreams_ConnectTwoThenDisposeOne_CountsOne()
    {
        var first = _ledger.Connect("a", NodeKind.Envoy);
        using var second = _ledger.Connect("b", NodeKind.Grpc);

        first.Dispose();

        _ledger.ConnectedStreams.Should().Be(1);
    }

    [Test]
    public void AddMarchProxyControlPlane_NegativeTrimThreshold_FailsWhenResolvedNamingTheSetting()
    {
        var services = new ServiceCollection().AddLogging().AddMarchProxyControlPlane();
        services.Configure<StreamMemoryOptions>(o => o.TrimAfterStreamChange = -1);
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<IOptions<StreamMemoryOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle(f => f.StartsWith("TrimAfterStreamChange ", StringComparison.Ordinal));
    }

    /// <summary>Moves the fake clock a tick at a time until <paramref name="done"/> completes (bounded by the default timeout).</summary>
    private async Task AdvanceUntilAsync(Task done)
    {
        var started = Stopwatch.GetTimestamp();
        while (!done.IsCompleted)
        {
            Stopwatch.GetElapsedTime(started).Should().BeLessThan(TaskTimeoutExtensions.DefaultTimeoutSpan, "the trimmer should have collected by now");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(done, Task.Run(() => { })).ConfigureAwait(false);
        }
    }
}
