using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Tests.TestSupport;
using Microsoft.Extensions.Logging.Testing;

namespace MarchProxy.ControlPlane.Tests.Cache;

public sealed class SnapshotCacheTests
{
    private static Snapshot Consistent(long version) => Snapshot.Create(version, XdsModel.Basic().ToResources().ByType());

    private static Snapshot Inconsistent(long version) =>
        Snapshot.Create(version, XdsModel.Basic().Set(Xds.Routes("r", "a", "ghost")).ToResources().ByType());

    [Test]
    public void SetSnapshot_Consistent_IsServedForThatKindOnly()
    {
        var cache = new SnapshotCache();
        var snapshot = Consistent(1);

        cache.SetSnapshot(NodeKind.Envoy, snapshot);

        cache.GetSnapshot(NodeKind.Envoy).Should().BeSameAs(snapshot);
        cache.GetSnapshot(NodeKind.Grpc).Should().BeNull("snapshots are keyed by node kind");
    }

    [Test]
    public void SetSnapshot_Inconsistent_ThrowsAndKeepsThePreviousSnapshot()
    {
        var logger = new FakeLogger<SnapshotCache>();
        var cache = new SnapshotCache(logger);
        var good = Consistent(1);
        cache.SetSnapshot(NodeKind.Envoy, good);
        var signals = 0;
        using var watch = cache.Watch(NodeKind.Envoy, () => signals++);

        var act = () => cache.SetSnapshot(NodeKind.Envoy, Inconsistent(2));

        act.Should().Throw<InconsistentSnapshotException>()
            .Which.Errors.Should().ContainSingle().Which.Should().Contain("'ghost'");
        cache.GetSnapshot(NodeKind.Envoy).Should().BeSameAs(good);
        signals.Should().Be(0);
        logger.Collector.GetSnapshot().Should().Contain(r => r.Id.Id == 1001);
    }

    [Test]
    public void SetSnapshot_OlderVersion_ThrowsAndKeepsTheNewer()
    {
        var cache = new SnapshotCache();
        var newer = Consistent(5);
        cache.SetSnapshot(NodeKind.Envoy, newer);

        var act = () => cache.SetSnapshot(NodeKind.Envoy, Consistent(4));

        act.Should().Throw<ArgumentOutOfRangeException>();
        cache.GetSnapshot(NodeKind.Envoy).Should().BeSameAs(newer);
    }

    [Test]
    public void Watch_NewSnapshotOfItsKind_IsSignalled()
    {
        var cache = new SnapshotCache();
        var envoy = 0;
        var grpc = 0;
        using var envoyWatch = cache.Watch(NodeKind.Envoy, () => envoy++);
        using var grpcWatch = cache.Watch(NodeKind.Grpc, () => grpc++);

        cache.SetSnapshot(NodeKind.Envoy, Consistent(1));
        cache.SetSnapshot(NodeKind.Envoy, Consistent(2));

        envoy.Should().Be(2);
        grpc.Should().Be(0);
    }

    [Test]
    public void Watch_Disposed_IsNoLongerSignalledAndIsReleased()
    {
        var cache = new SnapshotCache();
        var signals = 0;
        var watch = cache.Watch(NodeKind.Envoy, () => signals++);
        var other = cache.Watch(NodeKind.Grpc, () => { });
        cache.OpenWatchCount.Should().Be(2);

        watch.Dispose();
        watch.Dispose();
        cache.SetSnapshot(NodeKind.Envoy, Consistent(1));

        signals.Should().Be(0);
        cache.OpenWatchCount.Should().Be(1);
        other.Dispose();
        cache.OpenWatchCount.Should().Be(0);
    }

    [Test]
    public void SetSnapshot_SameVersionAgain_IsAccepted()
    {
        var cache = new SnapshotCache();
        cache.SetSnapshot(NodeKind.Envoy, Consistent(3));
        var again = Consistent(3);

        cache.SetSnapshot(NodeKind.Envoy, again);

        cache.GetSnapshot(NodeKind.Envoy).Should().BeSameAs(again);
    }
}
