using System.Threading.Channels;
using MarchProxy.Alb.Health;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.Supervisor;
using Microsoft.Extensions.Primitives;

namespace MarchProxy.Alb.Api.Events;

/// <summary>
/// Fans WatchEvents' events out to its watchers. Fed by <see cref="MutationRunner"/> (config applied),
/// the ACK ledger's <see cref="INodeStatusFeed"/> (xDS nodes: each change reads only the streams that
/// changed since the last reading) and
/// the supervisor's change token (Envoy state). Each watcher has its own bounded channel of
/// <see cref="Capacity"/> events in <see cref="BoundedChannelFullMode.DropOldest"/> mode: a slow watcher
/// loses its oldest events and never blocks a mutation, an ADS stream or the supervisor. When the host
/// stops, every feed completes so the streams end.
/// </summary>
public sealed class ConfigEventHub : IConfigAppliedSink, IDisposable
{
    public const int Capacity = 256;

    /// <summary>The <see cref="ConfigApplied.Rpc"/> of the include_current prelude.</summary>
    public const string CurrentRpc = "current";

    private readonly Lock _lock = new();
    private readonly List<ConfigEventSubscription> _subscribers = [];
    private readonly NodeEventDiff _nodes = new();
    private readonly ConfigStore _store;
    private readonly IAckLedger _ledger;
    private readonly INodeStatusFeed _feed;
    private readonly IEnvoySupervisor _supervisor;
    private readonly TimeProvider _time;
    private readonly IDisposable _envoyRegistration;
    private readonly IDisposable _feedRegistration;
    private readonly CancellationTokenRegistration _stoppingRegistration;
    private (string State, int Epoch, string Version)? _lastEnvoy;
    private bool _stopped;

    public ConfigEventHub(
        ConfigStore store,
        IAckLedger ledger,
        INodeStatusFeed feed,
        IEnvoySupervisor supervisor,
        TimeProvider time,
        IHostApplicationLifetime lifetime)
    {
        _store = store;
        _ledger = ledger;
        _feed = feed;
        _supervisor = supervisor;
        _time = time;
        _lastEnvoy = EnvoyKey(supervisor.GetStatus());
        _envoyRegistration = ChangeToken.OnChange(supervisor.GetChangeToken, EnvoyChanged);
        _stoppingRegistration = lifetime.ApplicationStopping.Register(Stop);
        _feedRegistration = feed.Watch(NodesChanged);
    }

    /// <remarks>Read by tests only: a watcher released after its client cancelled has no other visible effect.</remarks>
    public int SubscriberCount
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>
    /// Adds a watcher. With <paramref name="includeCurrent"/> its feed starts with the current state
    /// (config version, nodes, Envoy), taken atomically with the subscription so no event falls between.
    /// </summary>
    public ConfigEventSubscription Subscribe(bool includeCurrent)
    {
        var channel = Channel.CreateBounded<ConfigEvent>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        var subscription = new ConfigEventSubscription(channel, Unsubscribe);
        lock (_lock)
        {
            if (includeCurrent)
            {
                foreach (var current in CurrentEvents())
                {
                    channel.Writer.TryWrite(current);
                }
            }

            if (_stopped)
            {
                channel.Writer.TryComplete();
                return subscription;
            }

            if (!_nodes.HasBaseline)
            {
                _nodes.SetBaseline(_feed.GetChanges(0));
            }

            _subscribers.Add(subscription);
        }

        return subscription;
    }

    /// <summary>A mutation applied a new config version.</summary>
    public void ConfigApplied(long version, string rpc) =>
        Publish(new ConfigEvent { ConfigApplied = new ConfigApplied { Version = version, Rpc = rpc } });

    /// <summary>The ACK ledger may have changed: publish the changes since the last reading (what changed only).</summary>
    public void NodesChanged()
    {
        lock (_lock)
        {
            if (_subscribers.Count == 0)
            {
                // Nobody watches: skip the reading; the next subscriber takes a fresh baseline.
                _nodes.Reset();
                return;
            }

            foreach (var node in _nodes.Next(_feed.GetChanges(_nodes.Cursor)))
            {
                WriteAll(new ConfigEvent { Timestamp = Now(), Node = node });
            }
        }
    }

    public void Dispose()
    {
        _envoyRegistration.Dispose();
        _stoppingRegistration.Dispose();
        _feedRegistration.Dispose();
        Stop();
    }

    private IEnumerable<ConfigEvent> CurrentEvents()
    {
        var now = Now();
        yield return new ConfigEvent
        {
            Timestamp = now,
            ConfigApplied = new ConfigApplied { Version = _store.Current.Version, Rpc = CurrentRpc },
        };
        foreach (var node in NodeEventDiff.Current(_ledger.GetNodes()))
        {
            yield return new ConfigEvent { Timestamp = now, Node = node };
        }

        var envoy = _supervisor.GetStatus();
        yield return new ConfigEvent { Timestamp = now, Envoy = ToApi(envoy) };
    }

    private void EnvoyChanged()
    {
        var status = _supervisor.GetStatus();
        if (!status.IsSupervising)
        {
            return;
        }

        lock (_lock)
        {
            var key = EnvoyKey(status);
            if (key == _lastEnvoy)
            {
                return;
            }

            _lastEnvoy = key;
            WriteAll(new ConfigEvent { Timestamp = Now(), Envoy = ToApi(status) });
        }
    }

    private void Publish(ConfigEvent configEvent)
    {
        lock (_lock)
        {
            configEvent.Timestamp = Now();
            WriteAll(configEvent);
        }
    }

    private void WriteAll(ConfigEvent configEvent)
    {
        foreach (var subscriber in _subscribers)
        {
            // DropOldest: TryWrite only fails on a completed feed.
            subscriber.Writer.TryWrite(configEvent);
        }
    }

    private void Unsubscribe(ConfigEventSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscription);
        }
    }

    private void Stop()
    {
        ConfigEventSubscription[] subscribers;
        lock (_lock)
        {
            _stopped = true;
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Writer.TryComplete();
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static EnvoyStateChanged ToApi(EnvoyStatus status) => new()
    {
        State = EnvoyStateNames.Of(status),
        Epoch = status.IsSupervising ? status.Epoch : 0,
        Version = status.IsSupervising ? status.EnvoyVersion ?? string.Empty : string.Empty,
    };

    private static (string, int, string) EnvoyKey(EnvoyStatus status)
    {
        var api = ToApi(status);
        return (api.State, api.Epoch, api.Version);
    }
}
