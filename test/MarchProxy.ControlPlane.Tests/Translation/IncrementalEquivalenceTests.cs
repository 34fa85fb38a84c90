using System.Collections.Immutable;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;

namespace MarchProxy.ControlPlane.Tests.Translation;

/// <summary>Whatever sequence of changes comes in, an incremental translation equals a fresh one.</summary>
public sealed class IncrementalEquivalenceTests
{
    private static readonly string[] Hosts = ["a.svc", "b.svc", "c.svc"];

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Translate_RandomChangeSequence_MatchesAFreshTranslationAfterEveryStep(int seed)
    {
        var random = new Random(seed);
        var envoy = new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance);
        var grpc = new GrpcTranslator(NullLogger<GrpcTranslator>.Instance);
        var state = State(Cluster("c0"), Cluster("c1", "10.0.0.2"), Cluster("c2", "backend.internal"));

        for (var step = 0; step < 60; step++)
        {
            state = Mutate(state, random) with { Version = step + 2 };

            AssertSame(envoy.Translate(state), Fresh(state, NodeKind.Envoy), step);
            AssertSame(grpc.Translate(state), Fresh(state, NodeKind.Grpc), step);
        }
    }

    [Test]
    public void Translate_DictionaryWithAnotherComparer_TranslatesInOrdinalOrder()
    {
        var ordinal = State(Cluster("web"), Route("B", "web", "/b"), Route("a", "web", "/a"), Route("c", "web", "/c"));
        var ignoreCase = ordinal with { Routes = ordinal.Routes.WithComparers(StringComparer.OrdinalIgnoreCase) };
        var translator = new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance);

        translator.Translate(ordinal);
        var resources = translator.Translate(ignoreCase);

        resources.Routes.Should().Equal(Fresh(ordinal, NodeKind.Envoy).Routes);
    }

    private static DesiredState Mutate(DesiredState state, Random random)
    {
        var name = $"r{random.Next(12):D2}";
        switch (random.Next(6))
        {
            case 0:
                return state.WithoutRoute(name);
            case 1 when state.Routes.TryGetValue(name, out var existing):
                return state.WithRoute(existing with { Enabled = !existing.Enabled });
            case 2:
                return state.WithRoute(Split(name, ("c0", random.Next(1, 100)), ("c1", random.Next(0, 100))) with
                {
                    Match = new RouteMatchSpec { PathPrefix = "/" + name, Hosts = PickHosts(random) },
                });
            case 3:
                return state.WithCluster(Cluster($"c{random.Next(3)}", $"10.0.{random.Next(250)}.1"));
            default:
                return state.WithRoute(Route(name, $"c{random.Next(3)}", "/" + name, [.. PickHosts(random)]) with
                {
                    RateLimit = random.Next(2) == 0 ? null : new RateLimitSpec(random.Next(1, 2000), random.Next(1, 200)),
                    Order = random.Next(3),
                });
        }
    }

    private static ImmutableArray<string> PickHosts(Random random) =>
        [.. Hosts.Where(_ => random.Next(3) == 0)];

    private static TranslatedResources Fresh(DesiredState state, NodeKind kind) => kind == NodeKind.Envoy
        ? new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance).Translate(state)
        : new GrpcTranslator(NullLogger<GrpcTranslator>.Instance).Translate(state);

    private static void AssertSame(TranslatedResources incremental, TranslatedResources fresh, int step)
    {
        var because = $"step {step}";
        incremental.Clusters.Should().Equal(fresh.Clusters, because);
        incremental.Endpoints.Should().Equal(fresh.Endpoints, because);
        incremental.Listeners.Should().Equal(fresh.Listeners, because);
        incremental.Routes.Should().Equal(fresh.Routes, because);
    }
}
