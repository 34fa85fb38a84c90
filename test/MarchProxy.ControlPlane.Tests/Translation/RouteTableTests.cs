using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;

namespace MarchProxy.ControlPlane.Tests.Translation;

public sealed class RouteTableTests
{
    private RouteTable _table = null!;

    [SetUp]
    public void SetUp() => _table = new RouteTable(RouteBuilder.ForEnvoy);

    [Test]
    public void Update_SameDictionary_BuildsNothing()
    {
        var state = State(Route("a", "web", "/", "a.svc"));
        _table.Update(state.Routes).Should().BeTrue();

        _table.Update(state.Routes).Should().BeFalse();

        _table.RoutesBuilt.Should().Be(0);
        _table.VirtualHostsBuilt.Should().Be(0);
    }

    [Test]
    public void Update_OneHostedRouteChanged_BuildsOneRouteAndOneVirtualHost()
    {
        var state = State(Route("a", "web", "/a", "a.svc"), Route("b", "web", "/b", "b.svc"), Route("any", "web"));
        _table.Update(state.Routes);
        var b = _table.GetVirtualHost("b.svc");

        _table.Update(state.WithRoute(Route("a", "web", "/a2", "a.svc")).Routes).Should().BeTrue();

        _table.RoutesBuilt.Should().Be(1);
        _table.VirtualHostsBuilt.Should().Be(1);
        _table.GetVirtualHost("b.svc").Should().BeSameAs(b);
    }

    [Test]
    public void Update_RouteMovesHost_RebuildsOldAndNewHostAndDropsTheEmptyOne()
    {
        var state = State(Route("a", "web", "/a", "old.svc"), Route("b", "web", "/b", "keep.svc"));
        _table.Update(state.Routes);

        _table.Update(state.WithRoute(Route("a", "web", "/a", "new.svc")).Routes);

        _table.Domains.Should().Equal("keep.svc", "new.svc");
        _table.VirtualHostsBuilt.Should().Be(1, "old.svc is dropped, new.svc is built, keep.svc is untouched");
        _table.GetVirtualHost("new.svc").Routes.Select(r => r.Name).Should().Equal("a");
    }

    [Test]
    public void Update_HostlessRouteAdded_RebuildsEveryVirtualHostAndTheAnyHost()
    {
        var state = State(Route("a", "web", "/a", "a.svc"), Route("b", "web", "/b", "b.svc"));
        _table.Update(state.Routes);
        _table.AnyHostVirtualHost.Should().BeNull();

        _table.Update(state.WithRoute(Route("any", "web")).Routes);

        _table.RoutesBuilt.Should().Be(1);
        _table.VirtualHostsBuilt.Should().Be(3);
        _table.AnyHostVirtualHost!.Routes.Select(r => r.Name).Should().Equal("any");
        _table.GetVirtualHost("a.svc").Routes.Select(r => r.Name).Should().Equal("a", "any");
    }

    [Test]
    public void Update_MixedCaseAndStarHosts_AreNormalised()
    {
        var state = State(
            Route("upper", "web", "/u", "API.Example.com", "api.example.com"),
            Route("star", "web", "/s", "x.svc", "*"));

        _table.Update(state.Routes);

        _table.Domains.Should().Equal("api.example.com");
        _table.AnyHostVirtualHost!.Routes.Select(r => r.Name).Should().Equal("star");
    }

    [Test]
    public void Update_DisabledRoute_IsKeptButNotServed()
    {
        var state = State(Route("a", "web", "/", "a.svc") with { Enabled = false }, Route("b", "web", "/", "b.svc"));

        _table.Update(state.Routes);

        _table.Domains.Should().Equal("b.svc");
        _table.RoutesBuilt.Should().Be(1);
    }

    [Test]
    public void Update_AllRoutesRemoved_LeavesNoVirtualHosts()
    {
        var state = State(Route("a", "web", "/", "a.svc"), Route("any", "web"));
        _table.Update(state.Routes);

        _table.Update(DesiredState.Empty.Routes).Should().BeTrue();

        _table.Domains.Should().BeEmpty();
        _table.AnyHostVirtualHost.Should().BeNull();
    }
}
