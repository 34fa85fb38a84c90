using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Net.Client;

namespace MarchProxy.Load.Ads;

/// <summary>
/// One Envoy-like ADS client on its own HTTP/2 connection (its own handler and channel, as each Envoy
/// has). It reconnects with jittered exponential backoff when the stream ends, reports every ACK of
/// probe weights to the <see cref="ProbeTracker"/>, and keeps the <see cref="SyncCounter"/> current.
/// </summary>
public sealed class AdsLoadClient : IAsyncDisposable
{
    private const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly int _index;
    private readonly AdsClientSettings _settings;
    private readonly ProbeTracker _tracker;
    private readonly SyncCounter _synced;
    private readonly TimeProvider _time;
    private readonly ClientView _view;
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;
    private bool _isSynced;

    public AdsLoadClient(int index, AdsClientSettings settings, ProbeTracker tracker, SyncCounter synced, TimeProvider time)
    {
        _index = index;
        _settings = settings;
        _tracker = tracker;
        _synced = synced;
        _time = time;
        _view = new ClientView(settings.ProbeBlue, settings.ProbeGreen);
    }

    public ClientCounters Counters { get; } = new();

    public bool IsSynced => Volatile.Read(ref _isSynced);

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;

        SetSynced(false);
        _stop.Dispose();
    }

    internal void StreamOpened()
    {
        Counters.StreamOpened();
        SetSynced(false);
    }

    /// <summary>Called by the session right after it wrote the ACK (or NACK) of a response.</summary>
    internal void Answered(string? error, string? probeKey)
    {
        var now = _time.GetTimestamp();
        if (error is null)
        {
            Counters.Acked();
            if (probeKey is not null)
            {
                _tracker.Observe(_index, probeKey, now);
            }
        }
        else
        {
            Counters.Nacked();
            Counters.LastError = error;
        }

        SetSynced(_view.Sync.IsSynced);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        using var channel = GrpcChannel.ForAddress(_settings.Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxMessageBytes,
        });
        var client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var before = Counters.Responses;
            try
            {
                await (_settings.Protocol == XdsProtocol.Delta
                    ? new DeltaAdsSession(client, Node(), new ViewConsumer(_view, this)).RunAsync(cancellationToken)
                    : new SotwAdsSession(client, Node(), new ViewConsumer(_view, this)).RunAsync(cancellationToken));
                Counters.LastError = "the server ended the stream";
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Disposing cancels the stream; gRPC reports that as Cancelled or as OperationCanceledException.
                break;
            }
            catch (RpcException ex)
            {
                Counters.LastError = $"{ex.StatusCode}: {ex.Status.Detail}";
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException)
            {
                Counters.LastError = ex.Message;
            }

            SetSynced(false);
            attempt = Counters.Responses > before ? 0 : attempt + 1;
            try
            {
                await Task.Delay(Backoff(attempt), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_settings.BackoffMax.TotalMilliseconds, _settings.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private Node Node() => new()
    {
        Id = $"{_settings.NodePrefix}-{_index}",
        Cluster = "load",
        UserAgentName = "envoy",
    };

    private void SetSynced(bool synced)
    {
        if (synced == _isSynced)
        {
            return;
        }

        Volatile.Write(ref _isSynced, synced);
        _synced.Add(synced ? 1 : -1);
    }
}
