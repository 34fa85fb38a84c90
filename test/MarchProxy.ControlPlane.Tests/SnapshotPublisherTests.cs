using Envoy.Config.Route.V3;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Publishing;
using MarchProxy.ControlPlane.Tests.TestSupport;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;

namespace MarchProxy.ControlPlane.Tests;

public sealed class SnapshotPublisherTests
{
    private SnapshotCache _cache = null!;
    private FakeLogger<SnapshotPublisher> _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _cache = new SnapshotCache();
        _logger = new FakeLogger<SnapshotPublisher>();
    }

    private static DesiredState ValidState(long version)
    {
        var state = State(
            Cluster("blue"),
            Cluster("green", "10.0.0.2"),
            Split("shop", ("blue", 90), ("green", 10)),
            Route("api", "blue", "/api", "api.example.com"),
            Listener("public", 8080));
        return state with { Version = version };
    }

    private static IResourceTranslator[] RealTranslators() =>
    [
        new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance),
        new GrpcTranslator(NullLogger<GrpcTranslator>.Instance),
    ];

    private SnapshotPublisher Publisher(params IResourceTranslator[] translators) =>
        new(translators.Length == 0 ? RealTranslators() : translators, _cache, new FakeTimeProvider(), _logger);

    [Test]
    public void Publish_ValidState_SetsAConsistentSnapshotForEveryKind()
    {
        var result = Publisher().Publish(ValidState(3));

        result.Success.Should().BeTrue();
        result.Errors.Should().BeEmpty();
        result.Version.Should().Be(3);
        result.Snapshots.Keys.Should().BeEquivalentTo([NodeKind.Envoy, NodeKind.Grpc]);
        foreach (var kind in new[] { NodeKind.Envoy, NodeKind.Grpc })
        {
            var snapshot = _cache.GetSnapshot(kind)!;
            snapshot.Should().BeSameAs(result.Snapshots[kind]);
            snapshot.Version.Should().Be(3);
            snapshot.CheckConsistency().Should().BeEmpty();
            snapshot.Clusters.Resources.Select(c => c.Name).Should().Contain(["blue", "green"]);
        }

        _logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1050);
    }

    [Test]
    public void DryRun_ValidState_BuildsButSetsNothing()
    {
        var result = Publisher().DryRun(ValidState(1));

        result.Success.Should().BeTrue();
        result.Snapshots.Should().HaveCount(2);
        _cache.GetSnapshot(NodeKind.Envoy).Should().BeNull();
        _cache.GetSnapshot(NodeKind.Grpc).Should().BeNull();
    }

    [Test]
    public void Publish_OneKindInconsistent_SetsNoKindAndListsTheErrors()
    {
        var grpc = new FixedTranslator(NodeKind.Grpc, XdsModel.BasicGrpc().ToResources());
        var publisher = Publisher(RealTranslators()[0], grpc);
        publisher.Publish(ValidState(1)).Success.Should().BeTrue();
        grpc.Resources = XdsModel.BasicGrpc().Set(Xds.Routes("r", "a", "ghost")).ToResources();

        var result = publisher.Publish(ValidState(2));

        result.Success.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Should().StartWith("Grpc: ").And.Contain("'ghost'");
        result.Snapshots.Should().BeEmpty();
        _cache.GetSnapshot(NodeKind.Envoy)!.Version.Should().Be(1, "all kinds or none");
        _logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1051);
    }

    [Test]
    public void Publish_OlderVersionThanServed_IsRefused()
    {
        var publisher = Publisher();
        publisher.Publish(ValidState(5)).Success.Should().BeTrue();

        var result = publisher.Publish(ValidState(4));

        result.Success.Should().BeFalse();
        result.Errors.Should().HaveCount(2).And.OnlyContain(e => e.Contains("older"));
        _cache.GetSnapshot(NodeKind.Envoy)!.Version.Should().Be(5);
    }

    [Test]
    public void Publish_TranslatorThrows_FailsWithTheReasonAndSetsNothing()
    {
        var publisher = Publisher(RealTranslators()[0], new ThrowingTranslator());

        var result = publisher.Publish(ValidState(1));

        result.Success.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Should().Be("Grpc: translation failed: boom");
        _cache.GetSnapshot(NodeKind.Envoy).Should().BeNull();
        _logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1052);
    }

    [Test]
    public void Publish_OneWeightChange_ReusesEverythingElseAndChangesOnlyRoutes()
    {
        var publisher = Publisher();
        var state = ValidState(1);
        var first = publisher.Publish(state).Snapshots[NodeKind.Envoy];

        var changed = state.WithRoute(state.Routes["shop"] with { Backends = [new WeightedBackend("blue", 50), new WeightedBackend("green", 50)] }) with { Version = 2 };
        var second = publisher.Publish(changed).Snapshots[NodeKind.Envoy];

        second.Clusters.Should().BeSameAs(first.Clusters);
        second.Endpoints.Should().BeSameAs(first.Endpoints);
        second.Listeners.Should().BeSameAs(first.Listeners);
        second.Routes.Version.Should().Be("2");
        var weights = second.Routes.Resources.Single().Resource.Unpack<RouteConfiguration>().VirtualHosts
            .SelectMany(v => v.Routes)
            .Where(r => r.Route_.ClusterSpecifierCase == RouteAction.ClusterSpecifierOneofCase.WeightedClusters)
            .SelectMany(r => r.Route_.WeightedClusters.Clusters.Select(c => c.Weight));
        weights.Should().NotBeEmpty().And.OnlyContain(w => w == 50u);
    }

    [Test]
    public void Publish_AfterADryRunOfTheSameState_ServesTheDryRunsSnapshots()
    {
        var publisher = Publisher();
        var state = ValidState(1);

        var dryRun = publisher.DryRun(state);
        var published = publisher.Publish(state);

        published.Success.Should().BeTrue();
        _cache.GetSnapshot(NodeKind.Envoy).Should().BeSameAs(dryRun.Snapshots[NodeKind.Envoy]);
        _cache.GetSnapshot(NodeKind.Grpc).Should().BeSameAs(dryRun.Snapshots[NodeKind.Grpc]);
    }

    [Test]
    public void Publish_AfterADryRunOfAnotherState_BuildsAnew()
    {
        var publisher = Publisher();
        var dryRun = publisher.DryRun(ValidState(1));

        var published = publisher.Publish(ValidState(1));

        published.Success.Should().BeTrue();
        _cache.GetSnapshot(NodeKind.Envoy).Should().NotBeSameAs(dryRun.Snapshots[NodeKind.Envoy]);
        _cache.GetSnapshot(NodeKind.Envoy).Should().BeSameAs(published.Snapshots[NodeKind.Envoy]);
    }

    [Test]
    public void Publish_DryRunBuiltOnASnapshotNoLongerServed_BuildsAnew()
    {
        var publisher = Publisher();
        var state = ValidState(2);
        var dryRun = publisher.DryRun(state);
        publisher.Publish(ValidState(1)).Success.Should().BeTrue();

        var published = publisher.Publish(state);

        published.Success.Should().BeTrue();
        _cache.GetSnapshot(NodeKind.Envoy).Should().NotBeSameAs(dryRun.Snapshots[NodeKind.Envoy]);
        _cache.GetSnapshot(NodeKind.Envoy)!.Version.Should().Be(2);
    }

    [Test]
    public void Publish_ResourceEnvoyWouldReject_SetsNothingAndNamesTheModelField()
    {
        var grpc = new FixedTranslator(NodeKind.Grpc, XdsModel.BasicGrpc().ToResources());
        var publisher = Publisher(RealTranslators()[0], grpc);
        publisher.Publish(ValidState(1)).Success.Should().BeTrue();
        var cluster = Xds.EdsCluster("a");
        cluster.ConnectTimeout = new Google.Protobuf.WellKnownTypes.Duration();
        grpc.Resources = XdsModel.BasicGrpc().Set(cluster).ToResources();

        var dryRun = publisher.DryRun(ValidState(2));
        var result = publisher.Publish(ValidState(2));

        dryRun.Success.Should().BeFalse();
        dryRun.Violations.Should().ContainSingle().Which.Path.Should().Be("clusters[a].connect_timeout");
        result.Success.Should().BeFalse();
        result.Violations.Should().ContainSingle().Which.Message.Should().Contain("Envoy would reject it");
        result.Errors.Should().ContainSingle().Which.Should().StartWith("Grpc: clusters[a].connect_timeout: ");
        _cache.GetSnapshot(NodeKind.Envoy)!.Version.Should().Be(1, "nothing an Envoy or a gRPC client would reject reaches the cache");
        _cache.GetSnapshot(NodeKind.Grpc)!.Version.Should().Be(1);
    }

    [Test]
    public void DryRun_SameStateTwice_TranslatesOnce()
    {
        var counting = new CountingTranslator(RealTranslators()[0]);
        var publisher = Publisher(counting);
        var state = ValidState(1);

        publisher.DryRun(state).Success.Should().BeTrue();
        publisher.DryRun(state).Success.Should().BeTrue();
        publisher.Publish(state).Success.Should().BeTrue();

        counting.Calls.Should().Be(1, "the state validator's dry run, the store's dry run and the publish share one build");
    }

    [Test]
    public void Constructor_TwoTranslatorsForOneKind_Throws()
    {
        var act = () => Publisher(new ThrowingTranslator(), new ThrowingTranslator());

        act.Should().Throw<ArgumentException>().WithMessage("*Grpc*");
    }

    private sealed class FixedTranslator(NodeKind kind, TranslatedResources resources) : IResourceTranslator
    {
        public TranslatedResources Resources { get; set; } = resources;

        public NodeKind Kind => kind;

        public TranslatedResources Translate(DesiredState state) => Resources;
    }

    private sealed class CountingTranslator(IResourceTranslator inner) : IResourceTranslator
    {
        public int Calls { get; private set; }

        public NodeKind Kind => inner.Kind;

        public TranslatedResources Translate(DesiredState state)
        {
            Calls++;
            return inner.Translate(state);
        }
    }

    private sealed class ThrowingTranslator : IResourceTranslator
    {
        public NodeKind Kind => NodeKind.Grpc;

        public TranslatedResources Translate(DesiredState state) => throw new InvalidOperationException("boom");
    }
}
