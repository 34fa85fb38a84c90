using Envoy.Config.Route.V3;
using Google.Protobuf;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.ControlPlane.Tests.Server;

/// <summary>
/// The per-stream hold-back of rejected virtual hosts: one bad host does not freeze the other hosts of
/// its route configuration. Each test runs for state of the world and for delta.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
public sealed class AdsHoldBackTests(bool delta)
{
    private const string Rejection = "invalid virtual host";

    [Test]
    public void Nack_OfANewHost_ALaterChangeToAnotherHostArrivesWithoutIt()
    {
        var stream = Synced(out var a, out var b);
        stream.Publish(2, a, b, HoldBackStream.Host("bad.example", "c0", "/bad"));
        stream.Answer(ResourceTypes.Route, Rejection);

        stream.Publish(3, HoldBackStream.Host("a.example", "c1"), b, HoldBackStream.Host("bad.example", "c0", "/bad"));

        var sent = stream.RoutesInFlight();
        sent.Should().NotBeNull("a change to another host must reach the node");
        sent!.VirtualHosts.Select(v => v.Name).Should().Equal("a.example", "b.example");
        sent.VirtualHosts[0].Routes[0].Route_.Cluster.Should().Be("c1");
        if (!delta)
        {
            stream.InFlight(ResourceTypes.Route)!.TypeVersion.Should().Be("3" + SotwContent.StagedSuffix);
        }
    }

    [Test]
    public void Nack_OfAChangedHost_LaterResponsesCarryItAsLastAcked()
    {
        var stream = Synced(out var a, out var b);
        stream.Publish(2, a, HoldBackStream.Host("b.example", "c1", "/broken"));
        stream.Answer(ResourceTypes.Route, Rejection);

        stream.Publish(3, HoldBackStream.Host("a.example", "c1"), HoldBackStream.Host("b.example", "c1", "/broken"));

        var sent = stream.RoutesInFlight()!;
        sent.VirtualHosts[1].ToByteArray().Should().Equal(b.ToByteArray(), "the rejected host goes as the node last ACKed it");
        sent.VirtualHosts[0].Routes[0].Route_.Cluster.Should().Be("c1");
    }

    [Test]
    public void Nack_ReportsTheHeldBackHostsToTheLedger()
    {
        var stream = Synced(out var a, out var b);
        stream.Publish(2, a, b, HoldBackStream.Host("bad.example", "c0", "/bad"));

        stream.Answer(ResourceTypes.Route, Rejection);

        var nack = stream.Effects.OfType<NackEffect>().Single();
        nack.HeldBack.Should().ContainSingle().Which.Should().BeEquivalentTo(new HeldBackHost(HoldBackStream.RouteName, "bad.example", ["bad.example"], 2));
        stream.Ledger.GetNodes().Single().HeldBackVirtualHosts.Should().Equal("routes/bad.example [bad.example] (rejected at version 2)");
        stream.InFlight(ResourceTypes.Route).Should().BeNull("nothing but the rejected host changed");
        stream.Tracker.RejectedAtOrAbove(2)!.Error.Should().Be(Rejection);
    }

    [Test]
    public void Ack_WithAHostHeldBack_CountsForLaterVersionsOnly()
    {
        var stream = Synced(out var a, out var b);
        stream.Publish(2, a, b, HoldBackStream.Host("bad.example", "c0", "/bad"));
        stream.Answer(ResourceTypes.Route, Rejection);
        stream.Publish(3, HoldBackStream.Host("a.example", "c1"), b, HoldBackStream.Host("bad.example", "c0", "/bad"));

        stream.AckAll();

        stream.Tracker.RejectedAtOrAbove(3).Should().BeNull();
        stream.Tracker.HasAcked(3).Should().BeTrue("the change of version 3 (another host) is applied");
        stream.Tracker.RejectedAtOrAbove(2).Should().NotBeNull("the change of version 2 is the rejected host");
        stream.Tracker.HasAcked(1).Should().BeTrue();
        stream.Ledger.GetNodes().Single().HeldBackVirtualHosts.Should().ContainSingle().Which.Should().StartWith("routes/bad.example");
    }

    [Test]
    public void HeldBackHost_ChangedAgain_IsSentAgain()
    {
        var stream = Synced(out var a, out var b);
        stream.Publish(2, a, b, HoldBackStream.Host("bad.example", "c0", "/bad"));
        stream.Answer(ResourceTypes.Route, Rejection);

        stream.Publish(3, a, b, HoldBackStream.Host("bad.example", "c0", "/fixed"));

        stream.RoutesInFlight()!.VirtualHosts.Select(v => v.Name).Should().Equal("a.example", "b.example", "bad.example");
        stream.AckAll();
        stream.Tracker.HasAcked(3).Should().BeTrue();
        stream.Tracker.HasAcked(2).Should().BeTrue("version 3 supersedes the rejected version");
        stream.Ledger.GetNodes().Single().HeldBackVirtualHosts.Should().BeEmpty();
    }

    [Test]
    public void ComposedResponse_Rejected_HoldsBackItsChangedHostsToo()
    {
        var stream = Synced(out var a, out var b);
        stream.Publish(2, a, HoldBackStream.Host("b.example", "c1", "/broken"));
        stream.Answer(ResourceTypes.Route, Rejection);
        var a3 = HoldBackStream.Host("a.example", "c1");
        stream.Publish(3, a3, HoldBackStream.Host("b.example", "c1", "/broken"));
        stream.Answer(ResourceTypes.Route, Rejection);

        stream.Publish(4, a3, HoldBackStream.Host("b.example", "c1", "/broken"), HoldBackStream.Host("c.example", "c0"));

        var sent = stream.RoutesInFlight()!;
        sent.VirtualHosts.Select(v => v.ToByteArray()).Should().BeEquivalentTo(
            new[] { a, b, HoldBackStream.Host("c.example", "c0") }.Select(v => v.ToByteArray()), o => o.WithStrictOrdering());
        stream.AckAll();
        stream.Tracker.HasAcked(4).Should().BeTrue();
        stream.Tracker.RejectedAtOrAbove(3).Should().NotBeNull();
    }

    [Test]
    public void HostRemovedWhileHeldBack_IsNoLongerHeld()
    {
        var stream = Synced(out var a, out var b);
        stream.Publish(2, a, b, HoldBackStream.Host("bad.example", "c0", "/bad"));
        stream.Answer(ResourceTypes.Route, Rejection);

        stream.Publish(3, a, b);

        stream.InFlight(ResourceTypes.Route).Should().BeNull("the node already runs exactly this");
        stream.Tracker.HasAcked(3).Should().BeTrue();
        stream.Ledger.GetNodes().Single().HeldBackVirtualHosts.Should().BeEmpty();
    }

    /// <summary>A stream that ACKed version 1: hosts a.example and b.example, both to c0.</summary>
    private HoldBackStream Synced(out VirtualHost a, out VirtualHost b)
    {
        var stream = new HoldBackStream(delta);
        a = HoldBackStream.Host("a.example", "c0");
        b = HoldBackStream.Host("b.example", "c0");
        stream.Publish(1, a, b);
        stream.AckAll();
        stream.Tracker.HasAcked(1).Should().BeTrue();
        return stream;
    }
}
