using BenchmarkDotNet.Attributes;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using MarchProxy.ControlPlane.Validation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MarchProxy.Benchmarks;

/// <summary>
/// Translation of 10k routes and 1k clusters. Goals: a full Envoy translation in at most
/// 50 ms allocating at most 50 MB; a one-route weight change in at most 1 ms.
/// </summary>
[MemoryDiagnoser]
public class TranslationBenchmarks
{
    private const string SplitRoute = "route-05000";

    private readonly IOptions<TranslationOptions> _options = Options.Create(new TranslationOptions());
    private DesiredState _state = null!;
    private DesiredState _weightsA = null!;
    private DesiredState _weightsB = null!;
    private EnvoyTranslator _warmEnvoy = null!;
    private GrpcTranslator _warmGrpc = null!;
    private TranslatedResources _fullEnvoy = null!;
    private Snapshot _lastSnapshot = null!;
    private Snapshot _lastWholeSnapshot = null!;
    private bool _flip;
    private EnvoyResourceValidator _warmRules = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = BenchmarkStates.Large();
        if (ConfigValidator.Validate(_state).Count != 0)
        {
            throw new InvalidOperationException("The benchmark state is not valid.");
        }

        _weightsA = BenchmarkStates.WithWeights(_state, SplitRoute, 80, 20);
        _weightsB = BenchmarkStates.WithWeights(_state, SplitRoute, 70, 30);
        _warmEnvoy = new EnvoyTranslator(_options, NullLogger<EnvoyTranslator>.Instance);
        _warmEnvoy.Translate(_weightsA);
        _warmGrpc = new GrpcTranslator(NullLogger<GrpcTranslator>.Instance);
        _warmGrpc.Translate(_weightsA);
        _fullEnvoy = new EnvoyTranslator(_options, NullLogger<EnvoyTranslator>.Instance).Translate(_state);
        _lastSnapshot = Snapshot.Create(_weightsA.Version, _warmEnvoy.Translate(_weightsA).ByType());
        _lastWholeSnapshot = _lastSnapshot;
        _warmRules = new EnvoyResourceValidator();
        _warmRules.Validate(NodeKind.Envoy, _warmEnvoy.Translate(_weightsA), _weightsA);
    }

    [Benchmark(Baseline = true, Description = "Envoy: full translation, 10k routes / 1k clusters")]
    public TranslatedResources EnvoyFullTranslation() =>
        new EnvoyTranslator(_options, NullLogger<EnvoyTranslator>.Instance).Translate(_state);

    [Benchmark(Description = "Envoy: one-route weight change (warm)")]
    public TranslatedResources EnvoyWeightChange() => _warmEnvoy.Translate(Next());

    [Benchmark(Description = "gRPC: full translation, 10k routes / 1k clusters")]
    public TranslatedResources GrpcFullTranslation() =>
        new GrpcTranslator(NullLogger<GrpcTranslator>.Instance).Translate(_state);

    [Benchmark(Description = "gRPC: one-route weight change (warm)")]
    public TranslatedResources GrpcWeightChange() => _warmGrpc.Translate(Next());

    [Benchmark(Description = "Envoy: Snapshot.Create from a full translation (serialise all)")]
    public Snapshot EnvoySnapshotFull() => Snapshot.Create(1, _fullEnvoy.ByType());

    [Benchmark(Description = "Envoy: weight change, translate + Snapshot.Create(previous)")]
    public Snapshot EnvoyWeightChangePublish()
    {
        var next = Next();
        _lastSnapshot = Snapshot.Create(_lastSnapshot.Version + 1, _warmEnvoy.Translate(next).ByType(), _lastSnapshot);
        return _lastSnapshot;
    }

    /// <summary>
    /// <see cref="EnvoyWeightChangePublish"/> as it was before the RouteConfiguration reused the bytes of its
    /// unchanged virtual hosts: the changed RouteConfiguration is serialised whole.
    /// </summary>
    [Benchmark(Description = "Envoy: weight change, translate + Snapshot.Create(previous), routes serialised whole")]
    public Snapshot EnvoyWeightChangePublishWholeRoutes()
    {
        var next = Next();
        _lastWholeSnapshot = Snapshot.Create(_lastWholeSnapshot.Version + 1, _warmEnvoy.Translate(next).ByType(), _lastWholeSnapshot, reuseVirtualHostBytes: false);
        return _lastWholeSnapshot;
    }

    [Benchmark(Description = "Validation of 10k routes / 1k clusters")]
    public int Validate() => ConfigValidator.Validate(_state).Count;

    [Benchmark(Description = "Envoy's rules on a full translation (cold), 10k routes / 1k clusters")]
    public int EnvoyRulesFull() => new EnvoyResourceValidator().Validate(NodeKind.Envoy, _fullEnvoy, _state).Count;

    [Benchmark(Description = "Envoy: weight change, translate + Envoy's rules (warm)")]
    public int EnvoyWeightChangeRules()
    {
        var next = Next();
        return _warmRules.Validate(NodeKind.Envoy, _warmEnvoy.Translate(next), next).Count;
    }

    /// <summary>Alternates between two states that differ in one route's weights, so every call is a real change.</summary>
    private DesiredState Next()
    {
        _flip = !_flip;
        return _flip ? _weightsB : _weightsA;
    }
}
