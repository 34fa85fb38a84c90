using Envoy.Config.Route.V3;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;
using MarchProxy.ControlPlane.Tests.TestSupport;
using MarchProxy.ControlPlane.Translation;

namespace MarchProxy.ControlPlane.Tests.Server;

/// <summary>
/// One Envoy-like stream driven straight through an <see cref="AdsStateMachine"/> (no sockets): CDS and
/// LDS by wildcard, RDS "routes" by name, over two static clusters and one listener. Route
/// configuration "routes" has one virtual host per entry of the host map (name = domain → cluster).
/// The ledger effects go to a real <see cref="AckLedger"/>.
/// </summary>
internal sealed class HoldBackStream
{
    public const string RouteName = "routes";

    private readonly AdsStateMachine _machine;
    private readonly List<AdsEffect> _effects = [];
    private readonly Dictionary<string, AdsResponse> _pending = new(StringComparer.Ordinal);
    private Snapshot? _snapshot;

    public HoldBackStream(bool delta)
    {
        Delta = delta;
        _machine = new AdsStateMachine(delta);
        Tracker = Ledger.Connect("node", NodeKind.Envoy);
        Request(new AdsRequest { TypeUrl = ResourceTypes.Cluster, Names = delta ? null : [] });
        Request(new AdsRequest { TypeUrl = ResourceTypes.Listener, Names = delta ? null : [] });
        Request(delta
            ? new AdsRequest { TypeUrl = ResourceTypes.Route, Subscribe = [RouteName] }
            : new AdsRequest { TypeUrl = ResourceTypes.Route, Names = [RouteName] });
    }

    public bool Delta { get; }

    public AckLedger Ledger { get; } = new(TimeProvider.System);

    public NodeTracker Tracker { get; }

    /// <summary>Every effect of the last call.</summary>
    public List<AdsEffect> Effects { get; } = [];

    public static VirtualHost Host(string domain, string cluster, string prefix = "/") => new()
    {
        Name = domain,
        Domains = { domain },
        Routes = { new Route { Match = new RouteMatch { Prefix = prefix }, Route_ = new RouteAction { Cluster = cluster } } },
    };

    /// <summary>Publishes config version <paramref name="version"/> with these virtual hosts, and reconciles.</summary>
    public void Publish(long version, params VirtualHost[] hosts)
    {
        var routes = new RouteConfiguration { Name = RouteName, VirtualHosts = { hosts } };
        var resources = new TranslatedResources(
            [Xds.StaticCluster("c0"), Xds.StaticCluster("c1")], [], [Xds.Listener("l0", RouteName)], [routes]);
        _snapshot = Snapshot.Create(version, resources.ByType(), _snapshot);
        Run(() => _machine.Reconcile(_snapshot, _effects));
    }

    /// <summary>The response in flight of <paramref name="typeUrl"/>, or null.</summary>
    public AdsResponse? InFlight(string typeUrl) => _pending.GetValueOrDefault(typeUrl);

    /// <summary>ACKs every response in flight, in push order, until nothing is in flight.</summary>
    public void AckAll()
    {
        while (_pending.Count > 0)
        {
            foreach (var typeUrl in ResourceTypes.PushOrder.Where(_pending.ContainsKey).ToList())
            {
                Answer(typeUrl, error: null);
            }
        }
    }

    /// <summary>ACKs (or, with <paramref name="error"/>, NACKs) the response in flight of <paramref name="typeUrl"/>, then reconciles.</summary>
    public void Answer(string typeUrl, string? error)
    {
        var response = _pending[typeUrl];
        _pending.Remove(typeUrl);
        var names = typeUrl == ResourceTypes.Route ? new[] { RouteName } : [];
        Request(Delta
            ? new AdsRequest { TypeUrl = typeUrl, ResponseNonce = response.Nonce, Error = error }
            : new AdsRequest { TypeUrl = typeUrl, ResponseNonce = response.Nonce, Error = error, Names = names });
    }

    /// <summary>The route configuration the RDS response in flight carries, decoded from its bytes; null if none.</summary>
    public RouteConfiguration? RoutesInFlight() =>
        InFlight(ResourceTypes.Route)?.Resources.SingleOrDefault() is { } resource
            ? RouteConfiguration.Parser.ParseFrom(resource.Resource.Value)
            : null;

    private void Request(AdsRequest request)
    {
        Run(() =>
        {
            _machine.Handle(request, _effects);
            if (_snapshot is not null)
            {
                _machine.Reconcile(_snapshot, _effects);
            }
        });
    }

    private void Run(Action step)
    {
        Effects.Clear();
        step();
        foreach (var effect in _effects)
        {
            Effects.Add(effect);
            if (effect is SendEffect send)
            {
                _pending.Add(send.TypeUrl, send.Response);
            }
            else
            {
                LedgerEffects.Apply(effect, Tracker);
            }
        }

        _effects.Clear();
    }
}
