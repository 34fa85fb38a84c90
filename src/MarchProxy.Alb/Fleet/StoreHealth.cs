namespace MarchProxy.Alb.Fleet;

/// <summary>
/// Whether the shared store answers: set by every etcd request and by the watch. Read by GetStatus,
/// /readyz details and the store metric; transitions are logged once.
/// </summary>
public sealed class StoreHealth(ILogger<StoreHealth> logger)
{
    private readonly Lock _lock = new();
    private bool _connected = true;
    private string _error = string.Empty;

    /// <summary>Pulsed at every transition.</summary>
    public MarchProxy.Alb.State.RevisionSignal Changed { get; } = new();

    public bool Connected
    {
        get
        {
            lock (_lock)
            {
                return _connected;
            }
        }
    }

    /// <summary>Why the store is unreachable (empty while connected).</summary>
    public string Error
    {
        get
        {
            lock (_lock)
            {
                return _error;
            }
        }
    }

    public void Reachable()
    {
        lock (_lock)
        {
            if (_connected)
            {
                return;
            }

            _connected = true;
            _error = string.Empty;
        }

        Changed.Pulse();
        FleetLog.StoreReconnected(logger);
    }

    public void Unreachable(string error)
    {
        lock (_lock)
        {
            var wasConnected = _connected;
            _connected = false;
            _error = error;
            if (!wasConnected)
            {
                return;
            }
        }

        Changed.Pulse();
        FleetLog.StoreDisconnected(logger, error);
    }
}
