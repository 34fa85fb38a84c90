using MarchProxy.Supervisor;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Envoy's admin stats behind a TTL cache (<see cref="TelemetryOptions.EnvoyStatsTtl"/>). At most
/// one read is in flight; a read that outlives <see cref="TelemetryOptions.EnvoyStatsTimeout"/> is
/// cancelled. A failed or timed-out read keeps the last good sample and marks it stale; the next
/// read is tried once the TTL has passed again. Readers never see Envoy's exceptions. In
/// control-plane-only mode nothing is read and the reading is <see cref="EnvoyStatsStatus.Absent"/>.
/// </summary>
public sealed class EnvoyStatsBridge
{
    private readonly IEnvoyAdminClient _admin;
    private readonly IEnvoySupervisor _supervisor;
    private readonly TelemetryOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<EnvoyStatsBridge> _logger;
    private readonly Lock _lock = new();
    private EnvoyStatsReading _reading = EnvoyStatsReading.NotRead;
    private DateTimeOffset? _lastAttempt;
    private Task? _inFlight;

    public EnvoyStatsBridge(
        IEnvoyAdminClient admin,
        IEnvoySupervisor supervisor,
        IOptions<TelemetryOptions> options,
        TimeProvider timeProvider,
        ILogger<EnvoyStatsBridge> logger)
    {
        _admin = admin;
        _supervisor = supervisor;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// The clock the samples are stamped with. Their age, and GetMetrics' timestamp when there is no
    /// sample, are measured on it too.
    /// </summary>
    public TimeProvider Clock => _timeProvider;

    /// <summary>
    /// The cached reading, at once. When it is older than the TTL a read starts in the background
    /// and a later call sees its result. Observable instruments use this: they must not wait.
    /// </summary>
    public EnvoyStatsReading Peek()
    {
        if (!_supervisor.IsSupervising)
        {
            return EnvoyStatsReading.Absent;
        }

        lock (_lock)
        {
            StartReadIfDueLocked();
            return _reading;
        }
    }

    /// <summary>
    /// A reading no older than the TTL when Envoy answers within the timeout; otherwise the last
    /// good values marked stale. Waits at most the timeout, or until <paramref name="cancellationToken"/>.
    /// The /metrics endpoint and GetMetrics call this before they read.
    /// </summary>
    public async Task<EnvoyStatsReading> GetAsync(CancellationToken cancellationToken)
    {
        if (!_supervisor.IsSupervising)
        {
            return EnvoyStatsReading.Absent;
        }

        Task? read;
        lock (_lock)
        {
            read = StartReadIfDueLocked();
        }

        if (read is not null)
        {
            await read.WaitAsync(cancellationToken);
        }

        lock (_lock)
        {
            return _reading;
        }
    }

    /// <summary>
    /// The read to wait for: the one in flight, a new one when the cache is due, or null. While no
    /// Envoy process serves its admin API (starting, restarting, crash loop, stopped) nothing is read
    /// and the last values, if any, are stale.
    /// </summary>
    private Task? StartReadIfDueLocked()
    {
        if (_inFlight is not null)
        {
            return _inFlight;
        }

        if (_supervisor.State is not (EnvoyState.Live or EnvoyState.Draining or EnvoyState.HotRestarting))
        {
            if (_reading.HasSample)
            {
                _reading = _reading with { Status = EnvoyStatsStatus.Stale };
            }

            return null;
        }

        var now = _timeProvider.GetUtcNow();
        if (_lastAttempt is { } last && now - last < _options.EnvoyStatsTtl)
        {
            return null;
        }

        _lastAttempt = now;

        // The timeout starts now, not when the thread pool runs the read.
        var timeout = new CancellationTokenSource(_options.EnvoyStatsTimeout, _timeProvider);
        var previous = _reading;
        _inFlight = Task.Run(() => ReadAsync(previous, timeout));
        return _inFlight;
    }

    private async Task ReadAsync(EnvoyStatsReading previous, CancellationTokenSource timeout)
    {
        using var ownedTimeout = timeout;
        EnvoyStatsReading? next = null;
        try
        {
            var stats = await _admin.GetStatsAsync(EnvoyStatsSample.AdminStatsFilter, timeout.Token);
            var sample = EnvoyStatsSample.From(stats, _timeProvider.GetUtcNow());
            next = new EnvoyStatsReading(sample, previous.HasSample ? previous.Current : null, EnvoyStatsStatus.Fresh);
            if (previous.Status == EnvoyStatsStatus.Stale)
            {
                TelemetryLog.EnvoyStatsRecovered(_logger);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            next = MarkStale(previous, "timeout");
            if (next.Status != previous.Status)
            {
                TelemetryLog.EnvoyStatsReadTimedOut(_logger, _options.EnvoyStatsTimeout, LastSampleAt(previous));
            }
        }
        catch (Exception e) when (e is HttpRequestException or EnvoyAdminException or TimeoutException or IOException)
        {
            // Keeping the last good values, marked stale, is the decision: a scrape must still answer.
            next = MarkStale(previous, e.GetType().Name);
            if (next.Status != previous.Status)
            {
                TelemetryLog.EnvoyStatsReadFailed(_logger, LastSampleAt(previous), e.Message);
            }
        }
        finally
        {
            lock (_lock)
            {
                _reading = next ?? _reading;
                _inFlight = null;
            }
        }
    }

    private EnvoyStatsReading MarkStale(EnvoyStatsReading previous, string reason)
    {
        if (previous.Status == EnvoyStatsStatus.Stale)
        {
            TelemetryLog.EnvoyStatsStillStale(_logger, reason);
            return previous;
        }

        return previous with { Status = EnvoyStatsStatus.Stale };
    }

    private static DateTimeOffset? LastSampleAt(EnvoyStatsReading reading) => reading.HasSample ? reading.Current.Timestamp : null;
}
