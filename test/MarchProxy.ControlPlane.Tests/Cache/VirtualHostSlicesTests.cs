using Envoy.Config.Route.V3;
using Google.Protobuf;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Tests.Cache;

public sealed class VirtualHostSlicesTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void Compose_ReplacedAndDroppedHosts_EqualsSerialisingTheResult(bool keptSlices)
    {
        var original = Resource(Config(Host("a", "c0"), Host("b", "c1"), Host("c", "c2")), keptSlices);
        var older = Resource(Config(Host("b", "c9")), keptSlices);
        var hosts = VirtualHostSlices.Of(original);

        var composed = VirtualHostSlices.Compose(original, [hosts[0], VirtualHostSlices.Of(older)[0]]);

        var expected = Config(Host("a", "c0"), Host("b", "c9"));
        composed.Resource.Value.ToByteArray().Should().Equal(expected.ToByteArray());
        composed.Resource.TypeUrl.Should().Be(ResourceTypes.Route);
        composed.Name.Should().Be("routes");
        composed.Message.Should().Be(expected);
        composed.References.Clusters.Should().Equal("c0", "c9");
        composed.Version.Should().Be(Snapshot.Create(1, new Dictionary<string, IReadOnlyList<IMessage>> { [ResourceTypes.Route] = [expected] }).Routes.Resources[0].Version);
        VirtualHostSlices.Of(composed).Select(h => VirtualHostSlices.NameOf(h.Bytes.Span)).Should().Equal("a", "b");
    }

    [Test]
    public void NameAndDomains_OfAnEncodedHost_AreItsFields()
    {
        var host = new VirtualHost { Name = "shop", Domains = { "shop.example", "www.shop.example" }, Routes = { new Route { Match = new RouteMatch { Prefix = "/" } } } };

        var bytes = host.ToByteArray();

        VirtualHostSlices.NameOf(bytes).Should().Be("shop");
        VirtualHostSlices.DomainsOf(bytes).Should().Equal("shop.example", "www.shop.example");
    }

    private static RouteConfiguration Config(params VirtualHost[] hosts) => new()
    {
        Name = "routes",
        VirtualHosts = { hosts },
        ValidateClusters = false,
        ResponseHeadersToRemove = { "x-internal" },
    };

    private static VirtualHost Host(string name, string cluster) => new()
    {
        Name = name,
        Domains = { name + ".example" },
        Routes = { new Route { Match = new RouteMatch { Prefix = "/" }, Route_ = new RouteAction { Cluster = cluster } } },
    };

    /// <summary>A route configuration as a snapshot keeps it (with its host slices), or serialised whole.</summary>
    private static CachedResource Resource(RouteConfiguration config, bool keptSlices) => keptSlices
        ? Snapshot.Create(1, new Dictionary<string, IReadOnlyList<IMessage>> { [ResourceTypes.Route] = [config] }).Routes.Resources[0]
        : Snapshot.Create(1, new Dictionary<string, IReadOnlyList<IMessage>> { [ResourceTypes.Route] = [config] }, previous: null, reuseVirtualHostBytes: false).Routes.Resources[0];
}
