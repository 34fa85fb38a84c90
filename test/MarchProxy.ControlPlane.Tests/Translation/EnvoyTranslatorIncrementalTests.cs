using Envoy.Config.Route.V3;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;

namespace MarchProxy.ControlPlane.Tests.Translation;

public sealed class EnvoyTranslatorIncrementalTests
{
    private EnvoyTranslator _translator = null!;
    private DesiredState _state = null!;

    [SetUp]
    public void SetUp()
    {
        _translator = new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance);
        _state = State(
            Cluster("blue"),
            Cluster("green", "10.0.0.2"),
            Cluster("dns", "backend.internal"),
            Split("shop", ("blue", 90), ("green", 10)) with { Match = new RouteMatchSpec { PathPrefix = "/shop", Hosts = ["shop.example.com"] } },
            Route("api", "blue", "/api", "api.example.com"),
            Route("root", "blue", "/"),
            Listener("public", 8080));
    }

    [Test]
    public void Translate_SameStateTwice_ReturnsTheSameInstances()
    {
        var first = _translator.Translate(_state);

        var second = _translator.Translate(_state);

        AllSame(second.Clusters, first.Clusters);
        AllSame(second.Endpoints, first.Endpoints);
        AllSame(second.Listeners, first.Listeners);
        AllSame(second.Routes, first.Routes);
    }

    [Test]
    public void Translate_OneWeightChange_RebuildsOneRouteOneVirtualHostAndTheContainerOnly()
    {
        var first = _translator.Translate(_state);
        var before = VirtualHosts(first);

        var changed = _state.WithRoute(_state.Routes["shop"] with { Backends = [new WeightedBackend("blue", 50), new WeightedBackend("green", 50)] }) with { Version = 2 };
        var second = _translator.Translate(changed);
        var after = VirtualHosts(second);

        AllSame(second.Clusters, first.Clusters);
        AllSame(second.Endpoints, first.Endpoints);
        AllSame(second.Listeners, first.Listeners);
        second.Routes.Single().Should().NotBeSameAs(first.Routes.Single());

        after["api.example.com"].Should().BeSameAs(before["api.example.com"]);
        after["*"].Should().BeSameAs(before["*"]);
        after["shop.example.com"].Should().NotBeSameAs(before["shop.example.com"]);

        var oldRoutes = before["shop.example.com"].Routes;
        var newRoutes = after["shop.example.com"].Routes;
        newRoutes[0].Should().NotBeSameAs(oldRoutes[0]);
        newRoutes[0].Route_.WeightedClusters.Clusters.Select(c => c.Weight).Should().Equal(50u, 50u);
        newRoutes[1].Should().BeSameAs(oldRoutes[1], "the host-less route did not change");
    }

    [Test]
    public void Translate_RateLimitChange_RebuildsOnlyThatRoute()
    {
        var first = _translator.Translate(_state);

        var second = _translator.Translate(_state.WithRoute(_state.Routes["api"] with { RateLimit = new RateLimitSpec(50, 5) }));

        var before = VirtualHosts(first);
        var after = VirtualHosts(second);
        after["api.example.com"].Routes[0].TypedPerFilterConfig.Should().ContainKey("envoy.filters.http.local_ratelimit");
        after["shop.example.com"].Should().BeSameAs(before["shop.example.com"]);
        after["*"].Should().BeSameAs(before["*"]);
        AllSame(second.Clusters, first.Clusters);
    }

    [Test]
    public void Translate_HostlessRouteChange_RebuildsEveryVirtualHostThatHoldsIt()
    {
        var first = _translator.Translate(_state);

        var second = _translator.Translate(_state.WithRoute(_state.Routes["root"] with { Cluster = "green" }));

        var before = VirtualHosts(first);
        var after = VirtualHosts(second);
        after.Keys.Should().BeEquivalentTo(before.Keys);
        after.Should().AllSatisfy(pair => pair.Value.Should().NotBeSameAs(before[pair.Key]));
        after["api.example.com"].Routes[0].Should().BeSameAs(before["api.example.com"].Routes[0], "the api route did not change");
        after["api.example.com"].Routes[1].Route_.Cluster.Should().Be("green");
    }

    [Test]
    public void Translate_ClusterChange_RebuildsThatClusterOnly()
    {
        var first = _translator.Translate(_state);

        var second = _translator.Translate(_state.WithCluster(Cluster("green", "10.0.0.3")));

        second.Clusters.Should().HaveCount(3);
        second.Clusters[0].Should().BeSameAs(first.Clusters[0]);
        second.Clusters[1].Should().BeSameAs(first.Clusters[1]);
        second.Clusters[2].Should().NotBeSameAs(first.Clusters[2]);
        second.Endpoints[0].Should().BeSameAs(first.Endpoints[0]);
        second.Endpoints[1].Should().NotBeSameAs(first.Endpoints[1]);
        AllSame(second.Routes, first.Routes);
        AllSame(second.Listeners, first.Listeners);
    }

    [Test]
    public void Translate_RouteAndClusterRemoved_DropsThemAndTheirVirtualHost()
    {
        _translator.Translate(_state);

        var second = _translator.Translate(_state.WithoutRoute("api").WithoutRoute("shop").WithoutCluster("green"));

        VirtualHosts(second).Keys.Should().Equal("*");
        second.Clusters.Should().HaveCount(2);
        second.Endpoints.Should().ContainSingle();
    }

    [Test]
    public void Translate_RouteDisabledThenEnabled_RemovesAndRestoresIt()
    {
        _translator.Translate(_state);

        var disabled = _translator.Translate(_state.WithRoute(_state.Routes["api"] with { Enabled = false }));
        var enabled = _translator.Translate(_state);

        VirtualHosts(disabled).Should().NotContainKey("api.example.com");
        VirtualHosts(enabled)["api.example.com"].Routes.Select(r => r.Name).Should().Equal("api", "root");
    }

    [Test]
    public void Translate_IncrementalResult_EqualsAFreshTranslation()
    {
        _translator.Translate(_state);
        var changed = _state
            .WithRoute(_state.Routes["shop"] with { Backends = [new WeightedBackend("blue", 1), new WeightedBackend("green", 99)] })
            .WithRoute(Route("new", "green", "/new", "api.example.com", "new.example.com"))
            .WithoutRoute("root")
            .WithCluster(Cluster("blue", "10.0.0.9"));

        var incremental = _translator.Translate(changed);
        var fresh = new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance).Translate(changed);

        incremental.Clusters.Should().Equal(fresh.Clusters);
        incremental.Endpoints.Should().Equal(fresh.Endpoints);
        incremental.Listeners.Should().Equal(fresh.Listeners);
        incremental.Routes.Should().Equal(fresh.Routes);
    }

    private static Dictionary<string, VirtualHost> VirtualHosts(TranslatedResources resources) =>
        ((RouteConfiguration)resources.Routes.Single()).VirtualHosts.ToDictionary(v => v.Name);

    private static void AllSame(IReadOnlyList<Google.Protobuf.IMessage> actual, IReadOnlyList<Google.Protobuf.IMessage> expected)
    {
        actual.Should().HaveSameCount(expected);
        for (var i = 0; i < actual.Count; i++)
        {
            actual[i].Should().BeSameAs(expected[i]);
        }
    }
}
