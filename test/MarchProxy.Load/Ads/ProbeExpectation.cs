namespace MarchProxy.Load.Ads;

/// <summary>
/// The clients that hold one set of probe weights, with the first and last moment
/// (<see cref="TimeProvider.GetTimestamp"/> ticks). Guarded by the tracker's lock.
/// </summary>
public sealed class ProbeExpectation(string key, int expected)
{
    private readonly HashSet<int> _clients = [];
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _first = long.MaxValue;
    private long _last = long.MinValue;

    public string Key { get; } = key;

    public int Expected { get; } = expected;

    /// <summary>Completes when <see cref="Expected"/> clients hold the weights.</summary>
    public Task AllHeld => Expected == 0 ? Task.CompletedTask : _all.Task;

    public (int Count, long First, long Last) Snapshot()
    {
        lock (_clients)
        {
            return (_clients.Count, _first, _last);
        }
    }

    internal void Add(int client, long timestamp)
    {
        lock (_clients)
        {
            if (!_clients.Add(client))
            {
                return;
            }

            _first = Math.Min(_first, timestamp);
            _last = Math.Max(_last, timestamp);
            if (_clients.Count >= Expected)
            {
                _all.TrySetResult();
            }
        }
    }
}
