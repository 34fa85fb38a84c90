using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.ControlPlane.Tests.Server.Model;

/// <summary>
/// Drives one <see cref="AdsStateMachine"/> (no sockets) against a <see cref="ModelEnvoy"/> through a
/// <see cref="ModelScenario"/>: snapshot changes, responses and requests delivered one at a time in
/// either direction, reconnects and subscription changes, each in the order the steps say. The ledger
/// effects go to a real <see cref="AckLedger"/>. After the steps it delivers everything until the run
/// is quiet and checks convergence (<see cref="ModelChecks"/>).
/// </summary>
internal sealed class ModelRun
{
    private const int QuietWithin = 2000;

    private readonly ModelScenario _scenario;
    private readonly ModelConfig _config = ModelConfig.Initial();
    private readonly AckLedger _ledger = new(TimeProvider.System);
    private readonly List<AdsEffect> _effects = [];
    private readonly Queue<AdsResponse> _toClient = new();
    private readonly Dictionary<string, string> _inFlight = new(StringComparer.Ordinal);

    // The types the server has heard of on this stream, and what it had heard of when it sent each response.
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private readonly Dictionary<AdsResponse, ServerKnowledge> _knownAtSend = [];
    private readonly List<string> _trace = [];
    private readonly ModelEnvoy _client;
    private AdsStateMachine _machine;
    private NodeTracker _tracker;
    private Snapshot _snapshot;
    private long _version;

    public ModelRun(ModelScenario scenario)
    {
        _scenario = scenario;
        _client = new ModelEnvoy(scenario.Delta, scenario.NamedClusters, scenario.NackSingle, scenario.ExplicitWildcard);
        _machine = new AdsStateMachine(scenario.Delta);
        _tracker = _ledger.Connect("model-node", scenario.NamedClusters ? NodeKind.Grpc : NodeKind.Envoy);
        _snapshot = _config.Build(++_version, previous: null);
        _client.Start();
    }

    /// <summary>Runs every step, then settles and checks convergence; throws <see cref="ModelViolationException"/> with the trace.</summary>
    public void Run()
    {
        try
        {
            foreach (var step in _scenario.Steps)
            {
                Step(step);
            }

            Settle();
        }
        catch (ModelViolationException ex)
        {
            throw new ModelViolationException($"{ex.Message}{Environment.NewLine}trace:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", _trace)}");
        }
    }

    private void Step(ModelStep step)
    {
        switch (step.Kind % 10)
        {
            case 0 or 1:
                _trace.Add($"publish {_version + 1}: {_config.Mutate(step.Arg % 8, step.Arg / 8)}");
                _snapshot = _config.Build(++_version, _snapshot);
                Reconcile();
                break;
            case 2 or 3 or 4:
                DeliverResponse(rejectWhole: step.Arg % 8 == 0);
                break;
            case 5 or 6 or 7:
                DeliverRequest();
                break;
            case 8:
                Settle();
                break;
            default:
                Extra(step.Arg);
                break;
        }
    }

    private void Extra(int arg)
    {
        switch (arg % 4)
        {
            case 0:
                Reconnect();
                break;
            case 1:
                _trace.Add(_client.SubscribeAgain(arg / 4));
                break;
            case 2:
                _trace.Add(_client.ToggleExplicitCluster(arg / 4));
                break;
            default:
                Settle();
                break;
        }
    }

    private void DeliverResponse(bool rejectWhole)
    {
        if (!_toClient.TryDequeue(out var response))
        {
            return;
        }

        _trace.Add($"client reads {Describe(response)}{(rejectWhole ? ", rejects it whole" : string.Empty)}");
        ModelChecks.BeforeReceive(_client, response, _knownAtSend[response]);
        _knownAtSend.Remove(response);
        _client.Receive(response, rejectWhole);
    }

    private void DeliverRequest()
    {
        if (!_client.Outbox.TryDequeue(out var request))
        {
            return;
        }

        _trace.Add($"server reads {Describe(request)}");
        _announced.Add(request.TypeUrl);
        if (_inFlight.TryGetValue(request.TypeUrl, out var nonce) && nonce == request.ResponseNonce)
        {
            _inFlight.Remove(request.TypeUrl);
        }

        _machine.Handle(request, _effects);
        if (!_scenario.Delta && ResourceTypes.IsFullState(request.TypeUrl) && _effects.OfType<SubscriptionEffect>().Any())
        {
            // A new state-of-the-world LDS or CDS subscription makes a new whole response, which may
            // carry what a rejected one did.
            _client.Type(request.TypeUrl).NotAgain.Clear();
        }

        Drain();
        Reconcile();
    }

    private void Reconnect()
    {
        _trace.Add("reconnect");
        _toClient.Clear();
        _inFlight.Clear();
        _announced.Clear();
        _knownAtSend.Clear();
        _tracker.Dispose();
        _machine = new AdsStateMachine(_scenario.Delta);
        _tracker = _ledger.Connect("model-node", _scenario.NamedClusters ? NodeKind.Grpc : NodeKind.Envoy);
        _client.Reconnect();
    }

    private void Settle()
    {
        for (var i = 0; i < QuietWithin; i++)
        {
            if (_toClient.Count > 0)
            {
                DeliverResponse(rejectWhole: false);
            }
            else if (_client.Outbox.Count > 0)
            {
                DeliverRequest();
            }
            else
            {
                _trace.Add($"quiet at version {_snapshot.Version}");
                ModelChecks.Converged(_client, _snapshot, _tracker);
                _client.Quiet();
                return;
            }
        }

        throw new ModelViolationException($"the stream never goes quiet: {QuietWithin} messages after the last step");
    }

    private void Reconcile()
    {
        _machine.Reconcile(_snapshot, _effects);
        Drain();
    }

    private void Drain()
    {
        foreach (var effect in _effects)
        {
            if (effect is SendEffect send)
            {
                if (_inFlight.ContainsKey(send.TypeUrl))
                {
                    throw new ModelViolationException($"a second {ResourceTypes.ShortName(send.TypeUrl)} response was sent before the first was answered");
                }

                _inFlight[send.TypeUrl] = send.Response.Nonce;
                _toClient.Enqueue(send.Response);
                // A copy: what the server knew then, not what it learns later.
                var clusters = _machine.Type(ResourceTypes.IndexOf(ResourceTypes.Cluster));
                var wildcard = clusters?.Wildcard == true;
                var names = clusters?.Names.ToHashSet(StringComparer.Ordinal) ?? [];
                _knownAtSend[send.Response] = new ServerKnowledge([.. _announced], name => wildcard || names.Contains(name));
                _trace.Add($"server sends {Describe(send.Response)}");
            }
            else
            {
                LedgerEffects.Apply(effect, _tracker);
                _trace.Add($"  {effect.GetType().Name} {ResourceTypes.ShortName(effect.TypeUrl)}");
            }
        }

        _effects.Clear();
    }

    private static string Describe(AdsResponse response) =>
        $"{ResourceTypes.ShortName(response.TypeUrl)} v{response.Snapshot.Version} ({response.TypeVersion}) nonce {response.Nonce} [{ModelEnvoy.Content(response.Resources)}] removed [{string.Join(",", response.Removed)}]";

    private static string Describe(AdsRequest request) =>
        $"{ResourceTypes.ShortName(request.TypeUrl)} nonce '{request.ResponseNonce}'{(request.Error is null ? string.Empty : " NACK")}"
        + (request.Names is { } names ? $" names [{string.Join(",", names)}]" : $" +[{string.Join(",", request.Subscribe)}] -[{string.Join(",", request.Unsubscribe)}]")
        + (request.InitialVersions is { Count: > 0 } initial ? $" initial [{string.Join(",", initial.Keys)}]" : string.Empty);
}
