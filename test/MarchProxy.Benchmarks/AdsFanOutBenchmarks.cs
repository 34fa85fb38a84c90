using BenchmarkDotNet.Attributes;
using Envoy.Service.Discovery.V3;
using Google.Protobuf;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MarchProxy.Benchmarks;

/// <summary>
/// The control plane's own share of a fan-out, without sockets: one weight change reaches
/// <see cref="Streams"/> Envoy-like state-of-the-world streams (CDS and LDS by wildcard, EDS and RDS by
/// the names they reference). Per stream: the state machine reconciles the new snapshot, the RDS
/// response is encoded and serialised as gRPC would, the ACK is decoded and handled, the state machine
/// reconciles again, and the ledger records the ACK. gRPC, HTTP/2 and the sockets are not in it.
/// </summary>
[MemoryDiagnoser]
public class AdsFanOutBenchmarks
{
    private const string SplitRoute = "route-00000";

    private readonly List<AdsEffect> _effects = [];
    private readonly byte[] _wire = new byte[64 * 1024];
    private EnvoyTranslator _translator = null!;
    private DesiredState _state = null!;
    private Snapshot _snapshot = null!;
    private Stream[] _streams = null!;
    private AckLedger _ledger = null!;
    private int _weight;

    [Params(1000)]
    public int Streams { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _state = BenchmarkStates.Large(routes: 20, clusters: 4, hosts: 2);
        _translator = new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance);
        _snapshot = Snapshot.Create(_state.Version, _translator.Translate(_state).ByType());
        _ledger = new AckLedger(TimeProvider.System);
        _streams = [.. Enumerable.Range(0, Streams).Select(i => new Stream(new AdsStateMachine(incremental: false), _ledger.Connect($"node-{i}", NodeKind.Envoy)))];
        foreach (var stream in _streams)
        {
            Sync(stream);
        }
    }

    /// <summary>Publishes a weight change and takes every stream through its RDS response and ACK.</summary>
    [Benchmark(Description = "ADS state of the world: one weight change to every stream (per operation: all streams)")]
    public int WeightChangeToEveryStream()
    {
        _weight = (_weight % 900) + 1;
        _state = BenchmarkStates.WithWeights(_state, SplitRoute, _weight, 1000 - _weight);
        _snapshot = Snapshot.Create(_state.Version, _translator.Translate(_state).ByType(), _snapshot);
        var sent = 0;
        foreach (var stream in _streams)
        {
            sent += Sync(stream);
        }

        return sent;
    }

    /// <summary>Reconciles and answers like Envoy until nothing is in flight; the number of responses.</summary>
    private int Sync(Stream stream)
    {
        var responses = 0;
        stream.Machine.Reconcile(_snapshot, _effects);
        while (Next() is { } response)
        {
            responses++;
            var message = SotwCodec.Instance.Encode(response);
            var length = message.CalculateSize();
            message.WriteTo(_wire.AsSpan(0, length));
            stream.Follow(response);

            // The ACK as it comes off the wire: parsed, then decoded.
            var ack = new DiscoveryRequest { TypeUrl = response.TypeUrl, ResponseNonce = response.Nonce, VersionInfo = response.TypeVersion };
            ack.ResourceNames.Add(stream.Names(response.TypeUrl));
            var parsed = DiscoveryRequest.Parser.ParseFrom(ack.ToByteArray());
            stream.Machine.Handle(SotwCodec.Instance.Decode(parsed), _effects);
            stream.Machine.Reconcile(_snapshot, _effects);
            Apply(stream);
        }

        Apply(stream);
        return responses;
    }

    private AdsResponse? Next()
    {
        foreach (var effect in _effects)
        {
            if (effect is SendEffect send)
            {
                _effects.Remove(effect);
                return send.Response;
            }
        }

        return null;
    }

    private void Apply(Stream stream)
    {
        foreach (var effect in _effects)
        {
            if (effect is not SendEffect)
            {
                LedgerEffects.Apply(effect, stream.Tracker);
            }
        }

        _effects.RemoveAll(e => e is not SendEffect);
    }

    /// <summary>One Envoy-like client: it subscribes to what the resources it holds reference.</summary>
    private sealed class Stream
    {
        private readonly Dictionary<string, string[]> _names = new(StringComparer.Ordinal);

        public Stream(AdsStateMachine machine, NodeTracker tracker)
        {
            Machine = machine;
            Tracker = tracker;
            foreach (var typeUrl in new[] { ResourceTypes.Cluster, ResourceTypes.Listener })
            {
                _names[typeUrl] = [];
                machine.Handle(new AdsRequest { TypeUrl = typeUrl, Names = [] }, []);
            }
        }

        public AdsStateMachine Machine { get; }

        public NodeTracker Tracker { get; }

        public string[] Names(string typeUrl) => _names.GetValueOrDefault(typeUrl) ?? [];

        /// <summary>After CDS, asks for the clusters' endpoints; after LDS, for the listeners' route configurations.</summary>
        public void Follow(AdsResponse response)
        {
            var (dependent, names) = response.TypeUrl switch
            {
                ResourceTypes.Cluster => (ResourceTypes.Endpoint, response.Resources.Select(r => r.EdsName).OfType<string>()),
                ResourceTypes.Listener => (ResourceTypes.Route, response.Resources.SelectMany(r => r.References.RouteConfigs)),
                _ => (null, []),
            };
            if (dependent is null)
            {
                return;
            }

            var wanted = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (!_names.TryGetValue(dependent, out var held) || !held.SequenceEqual(wanted))
            {
                _names[dependent] = wanted;
                Machine.Handle(new AdsRequest { TypeUrl = dependent, Names = wanted }, []);
            }
        }
    }
}
