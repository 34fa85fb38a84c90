using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Tests.TestSupport;
using MarchProxy.ControlPlane.Translation;

namespace MarchProxy.ControlPlane.Tests.Cache;

public sealed class SnapshotTests
{
    [Test]
    public void Create_Resources_SerialisesEachIntoAnAnyOfItsType()
    {
        var cluster = Xds.EdsCluster("a");

        var snapshot = Snapshot.Create(1, XdsModel.Basic().Set(cluster).ToResources().ByType());

        var cached = snapshot.Clusters.Find("a")!;
        cached.Resource.TypeUrl.Should().Be(ResourceTypes.Cluster);
        cached.Resource.Unpack<Cluster>().Should().Be(cluster);
        snapshot.Endpoints.Find("a")!.Resource.TypeUrl.Should().Be(ResourceTypes.Endpoint);
        snapshot.Listeners.Find("l")!.Resource.TypeUrl.Should().Be(ResourceTypes.Listener);
        snapshot.Routes.Find("r")!.Resource.TypeUrl.Should().Be(ResourceTypes.Route);
        snapshot.ResourceCount.Should().Be(4);
    }

    [Test]
    public void Create_NoPrevious_EveryTypeVersionIsTheConfigVersion()
    {
        var snapshot = Snapshot.Create(7, XdsModel.Basic().ToResources().ByType());

        snapshot.Version.Should().Be(7);
        new[] { snapshot.Clusters, snapshot.Endpoints, snapshot.Listeners, snapshot.Routes }
            .Select(s => s.Version).Should().AllBe("7");
    }

    [Test]
    public void Create_SameMessageInstance_ReusesTheSerialisedBytes()
    {
        var model = XdsModel.Basic();
        var v1 = Snapshot.Create(1, model.ToResources().ByType());

        var v2 = Snapshot.Create(2, model.Set(Xds.Assignment("a", 8002)).ToResources().ByType(), v1);

        v2.Clusters.Find("a").Should().BeSameAs(v1.Clusters.Find("a"));
        v2.Clusters.Find("a")!.Resource.Should().BeSameAs(v1.Clusters.Find("a")!.Resource);
        v2.Endpoints.Find("a").Should().NotBeSameAs(v1.Endpoints.Find("a"));
    }

    [Test]
    public void Create_OneTypeChanged_OnlyThatTypeGetsTheNewVersion()
    {
        var model = XdsModel.Basic();
        var v1 = Snapshot.Create(1, model.ToResources().ByType());

        var v2 = Snapshot.Create(2, model.Set(Xds.Assignment("a", 8002)).ToResources().ByType(), v1);

        v2.Endpoints.Version.Should().Be("2");
        v2.Clusters.Version.Should().Be("1");
        v2.Listeners.Version.Should().Be("1");
        v2.Routes.Version.Should().Be("1");
        v2.Clusters.Should().BeSameAs(v1.Clusters, "an unchanged type shares its set, so streams see no change in O(1)");
    }

    [Test]
    public void Create_EqualContentInNewInstance_KeepsResourceAndTypeVersions()
    {
        var v1 = Snapshot.Create(1, XdsModel.Basic().ToResources().ByType());

        var v2 = Snapshot.Create(2, XdsModel.Basic().ToResources().ByType(), v1);

        v2.Clusters.Find("a")!.Version.Should().Be(v1.Clusters.Find("a")!.Version);
        v2.Clusters.Version.Should().Be("1");
        v2.Routes.Version.Should().Be("1");
    }

    [Test]
    public void Create_ChangedContent_ChangesThePerResourceVersion()
    {
        var v1 = Snapshot.Create(1, XdsModel.Basic().ToResources().ByType());

        var v2 = Snapshot.Create(2, XdsModel.Basic().Set(Xds.EdsCluster("a", connectTimeoutMs: 250)).ToResources().ByType(), v1);

        v2.Clusters.Find("a")!.Version.Should().NotBe(v1.Clusters.Find("a")!.Version);
        v2.Clusters.Version.Should().Be("2");
    }

    [Test]
    public void Create_IndependentBuilds_GiveTheSameContentHash()
    {
        // Delta clients reconnecting after our restart send these versions back: they must be stable.
        var first = Snapshot.Create(1, XdsModel.Basic().ToResources().ByType());
        var second = Snapshot.Create(9, XdsModel.Basic().ToResources().ByType());

        second.Clusters.Find("a")!.Version.Should().Be(first.Clusters.Find("a")!.Version).And.MatchRegex("^[0-9a-f]{16}$");
    }

    [Test]
    public void Create_ResourceRemoved_TypeChanges()
    {
        var model = XdsModel.Basic().Set(Xds.EdsCluster("b")).Set(Xds.Assignment("b", 8003));
        var v1 = Snapshot.Create(1, model.ToResources().ByType());

        var v2 = Snapshot.Create(2, model.RemoveCluster("b").ToResources().ByType(), v1);

        v2.Clusters.Contains("b").Should().BeFalse();
        v2.Clusters.Version.Should().Be("2");
        v2.Endpoints.Version.Should().Be("2");
    }

    [Test]
    public void Create_UnsortedInput_OrdersResourcesByName()
    {
        var resources = new TranslatedResources([Xds.StaticCluster("z"), Xds.StaticCluster("b"), Xds.StaticCluster("m")], [], [], []);

        var snapshot = Snapshot.Create(1, resources.ByType());

        snapshot.Clusters.Resources.Select(r => r.Name).Should().Equal("b", "m", "z");
    }

    [Test]
    public void Create_MessageInTheWrongList_Throws()
    {
        var resources = new TranslatedResources([Xds.Assignment("a", 1)], [], [], []);

        var act = () => Snapshot.Create(1, resources.ByType());

        act.Should().Throw<ArgumentException>().WithMessage("*ClusterLoadAssignment*Cluster*");
    }

    [Test]
    public void Create_UnservedTypeUrl_Throws()
    {
        var resources = new Dictionary<string, IReadOnlyList<IMessage>> { ["type.googleapis.com/envoy.config.core.v3.Secret"] = [] };

        var act = () => Snapshot.Create(1, resources);

        act.Should().Throw<ArgumentException>().WithMessage("*Secret*not a served xDS type*");
    }

    [Test]
    public void Create_MissingType_HasNoResourcesOfIt()
    {
        var resources = new Dictionary<string, IReadOnlyList<IMessage>> { [ResourceTypes.Cluster] = [Xds.StaticCluster("a")] };

        var snapshot = Snapshot.Create(1, resources);

        snapshot.Clusters.Count.Should().Be(1);
        snapshot.Routes.Count.Should().Be(0);
    }

    [Test]
    public void CheckConsistency_EveryReferenceResolves_IsEmpty()
    {
        var model = XdsModel.Basic()
            .Set(Xds.EdsCluster("b", serviceName: "b-service"))
            .Set(Xds.Assignment("b-service", 8004))
            .Set(Xds.StaticCluster("s"))
            .Set(Xds.WeightedRoutes("r", ("a", 90), ("b", 10)))
            .Set(Xds.ApiListener("svc", "r"));

        Snapshot.Create(1, model.ToResources().ByType()).CheckConsistency().Should().BeEmpty();
    }

    [Test]
    public void CheckConsistency_ListenerNamesAMissingRouteConfiguration_ReportsIt()
    {
        var model = XdsModel.Basic().Set(Xds.Listener("l2", "missing", 10001));

        Snapshot.Create(1, model.ToResources().ByType()).CheckConsistency()
            .Should().ContainSingle().Which.Should().Contain("'l2'").And.Contain("'missing'");
    }

    [Test]
    public void CheckConsistency_ApiListenerNamesAMissingRouteConfiguration_ReportsIt()
    {
        var model = XdsModel.Basic().Set(Xds.ApiListener("svc", "nowhere"));

        Snapshot.Create(1, model.ToResources().ByType()).CheckConsistency()
            .Should().ContainSingle().Which.Should().Contain("'nowhere'");
    }

    [Test]
    public void CheckConsistency_RoutesNameMissingClusters_ReportsEach()
    {
        var model = XdsModel.Basic()
            .Set(Xds.Routes("r", "a", "ghost"))
            .Set(Xds.WeightedRoutes("r2", ("a", 50), ("phantom", 50)));

        var errors = Snapshot.Create(1, model.ToResources().ByType()).CheckConsistency();

        errors.Should().HaveCount(2);
        errors.Should().Contain(e => e.Contains("'r'") && e.Contains("'ghost'"));
        errors.Should().Contain(e => e.Contains("'r2'") && e.Contains("'phantom'"));
    }

    [Test]
    public void CheckConsistency_EdsClusterWithoutItsAssignment_ReportsIt()
    {
        var model = XdsModel.Basic()
            .Set(Xds.EdsCluster("b", serviceName: "b-service"))
            .Set(Xds.Assignment("b", 8005));

        Snapshot.Create(1, model.ToResources().ByType()).CheckConsistency()
            .Should().ContainSingle().Which.Should().Contain("'b'").And.Contain("'b-service'");
    }

    [Test]
    public void CheckConsistency_DuplicateNames_ReportsThem()
    {
        var resources = new TranslatedResources([Xds.StaticCluster("s"), Xds.StaticCluster("s")], [], [], []);

        Snapshot.Create(1, resources.ByType()).CheckConsistency()
            .Should().ContainSingle().Which.Should().Contain("'s'").And.Contain("more than once");
    }

    [Test]
    public void Get_UnknownType_Throws()
    {
        var snapshot = Snapshot.Create(1, XdsModel.Basic().ToResources().ByType());

        var act = () => snapshot.Get("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret");

        act.Should().Throw<ArgumentOutOfRangeException>();
        snapshot.Get(ResourceTypes.Endpoint).Should().BeSameAs(snapshot.Endpoints);
    }

    [Test]
    public void Resource_UnpacksToTheOriginalAssignment()
    {
        var assignment = Xds.Assignment("a", 8001, 8002);

        var snapshot = Snapshot.Create(1, XdsModel.Basic().Set(assignment).ToResources().ByType());

        snapshot.Endpoints.Find("a")!.Resource.Unpack<ClusterLoadAssignment>().Should().Be(assignment);
        snapshot.Endpoints.Find("a")!.Resource.Should().BeOfType<Any>();
    }
}
