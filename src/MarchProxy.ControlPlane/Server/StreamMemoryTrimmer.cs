using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Samples the number of open ADS streams and the snapshots' versions every half quiet period and,
/// when <see cref="StreamSwingDetector"/> says so, runs one aggressive (compacting, decommitting)
/// collection. That pause happens only once the fleet has settled and nothing is being published, so
/// it does not delay a push.
/// </summary>
internal sealed class StreamMemoryTrimmer : BackgroundService
{
    private readonly AckLedger _ledger;
    private readonly ISnapshotCache _cache;
    private readonly TimeProvider _time;
    private readonly StreamMemoryOptions _options;
    private readonly ILogger _logger;
    private readonly Action _collect;

    public StreamMemoryTrimmer(AckLedger ledger, ISnapshotCache cache, TimeProvider time, IOptions<StreamMemoryOptions> options, ILogger<StreamMemoryTrimmer> logger)
        : this(ledger, cache, time, options.Value, logger, ReturnMemory)
    {
    }

    internal StreamMemoryTrimmer(AckLedger ledger, ISnapshotCache cache, TimeProvider time, StreamMemoryOptions options, ILogger logger, Action collect)
    {
        _ledger = ledger;
        _cache = cache;
        _time = time;
        _options = options;
        _logger = logger;
        _collect = collect;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.TrimAfterStreamChange == 0)
        {
            return;
        }

        var detector = new StreamSwingDetector(_options.TrimAfterStreamChange, _options.QuietPeriod);
        var started = _time.GetTimestamp();
        using var timer = new PeriodicTimer(_options.QuietPeriod / 2, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var streams = _ledger.ConnectedStreams;
                var mark = (_cache.GetSnapshot(NodeKind.Envoy)?.Version ?? 0) + (_cache.GetSnapshot(NodeKind.Grpc)?.Version ?? 0);
                if (detector.Observe(streams, mark, _time.GetElapsedTime(started)))
                {
                    var before = GC.GetTotalMemory(forceFullCollection: false) / 1024;
                    var collecting = _time.GetTimestamp();
                    _collect();
                    var milliseconds = _time.GetElapsedTime(collecting).TotalMilliseconds;
                    var after = GC.GetTotalMemory(forceFullCollection: false) / 1024;
                    StreamMemoryLog.MemoryReturned(_logger, streams, before, after, milliseconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    // Aggressive: compacts every generation and decommits the free space instead of keeping it for reuse.
    private static void ReturnMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
