namespace MarchProxy.Load.Ads;

/// <summary>
/// N load clients against one host. Connecting is ramped (at most <c>ramp</c> clients not yet synced
/// at a time), as a fleet of Envoys comes up over time rather than in one SYN burst.
/// </summary>
public sealed class ClientFleet(AdsClientSettings settings, ProbeTracker tracker, TimeProvider time) : IAsyncDisposable
{
    private readonly List<AdsLoadClient> _clients = [];

    public SyncCounter Synced { get; } = new();

    public ProbeTracker Tracker => tracker;

    public IReadOnlyList<AdsLoadClient> Clients => _clients;

    public int Count => _clients.Count;

    /// <summary>Adds and starts <paramref name="count"/> clients; true when all of them are synced within <paramref name="timeout"/>.</summary>
    public async Task<bool> StartAsync(int count, int ramp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var target = _clients.Count - ramp + 1;
            var left = timeout - time.GetElapsedTime(started);
            if (target > 0 && (left <= TimeSpan.Zero || !await Synced.WaitUntilAsync(n => n >= target, left, cancellationToken)))
            {
                return false;
            }

            var client = new AdsLoadClient(_clients.Count, settings, tracker, Synced, time);
            _clients.Add(client);
            client.Start();
        }

        var remaining = timeout - time.GetElapsedTime(started);
        return remaining > TimeSpan.Zero && await WaitAllSyncedAsync(remaining, cancellationToken);
    }

    public Task<bool> WaitAllSyncedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var all = _clients.Count;
        return Synced.WaitUntilAsync(n => n >= all, timeout, cancellationToken);
    }

    public long TotalNacks => _clients.Sum(c => c.Counters.Nacks);

    public long TotalStreams => _clients.Sum(c => c.Counters.Streams);

    /// <summary>The distinct last errors of the clients that are not synced, for a report.</summary>
    public IReadOnlyList<string> Problems() =>
        [.. _clients.Where(c => !c.IsSynced).Select(c => c.Counters.LastError ?? "no response yet").Distinct(StringComparer.Ordinal).Take(5)];

    public async ValueTask DisposeAsync()
    {
        foreach (var batch in _clients.Chunk(256))
        {
            await Task.WhenAll(batch.Select(c => c.DisposeAsync().AsTask()));
        }

        _clients.Clear();
    }
}
