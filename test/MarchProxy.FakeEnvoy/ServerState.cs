namespace MarchProxy.FakeEnvoy;

/// <summary>
/// The fake server's state, as Envoy derives it: PRE_INITIALIZING until CDS and its EDS are in,
/// INITIALIZING until LDS and its RDS are in, then LIVE; DRAINING once LIVE and the health check was
/// failed through the admin API.
/// </summary>
internal sealed class ServerState(int epoch, long baseId, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _live = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _init = "PRE_INITIALIZING";
    private bool _healthcheckFailed;

    public int Epoch { get; } = epoch;

    public long BaseId { get; } = baseId;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    /// <summary>Completes when the server first reaches LIVE.</summary>
    public Task Live => _live.Task;

    public bool ListenersDraining { get; private set; }

    public string State
    {
        get
        {
            lock (_gate)
            {
                return _init == "LIVE" && _healthcheckFailed ? "DRAINING" : _init;
            }
        }
    }

    public bool HealthcheckFailed
    {
        get
        {
            lock (_gate)
            {
                return _healthcheckFailed;
            }
        }
    }

    public TimeSpan Uptime => time.GetUtcNow() - StartedAt;

    /// <summary>Envoy's server.state gauge: LIVE 0, DRAINING 1, PRE_INITIALIZING 2, INITIALIZING 3.</summary>
    public int StateNumber => State switch
    {
        "LIVE" => 0,
        "DRAINING" => 1,
        "PRE_INITIALIZING" => 2,
        _ => 3,
    };

    public void ClusterManagerInitialized()
    {
        lock (_gate)
        {
            if (_init == "PRE_INITIALIZING")
            {
                _init = "INITIALIZING";
            }
        }
    }

    public void InitializationComplete()
    {
        lock (_gate)
        {
            _init = "LIVE";
        }

        _live.TrySetResult();
    }

    public void SetHealthcheckFailed(bool failed)
    {
        lock (_gate)
        {
            _healthcheckFailed = failed;
        }
    }

    public void StartDrainingListeners() => ListenersDraining = true;
}
