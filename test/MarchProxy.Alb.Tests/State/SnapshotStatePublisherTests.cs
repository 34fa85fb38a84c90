using MarchProxy.Alb.State;
using MarchProxy.ControlPlane;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace MarchProxy.Alb.Tests.State;

public sealed class SnapshotStatePublisherTests
{
    private static readonly DesiredState Valid = (DesiredState.Empty with { Version = 2 })
        .WithCluster(new ClusterSpec { Name = "web", Endpoints = [new EndpointSpec("10.0.0.1", 80)] })
        .WithRoute(new RouteSpec { Name = "api", Cluster = "web" });

    private ServiceProvider _services = null!;

    [SetUp]
    public void SetUp() => _services = new ServiceCollection().AddLogging().AddMarchProxyControlPlane().BuildServiceProvider();

    [TearDown]
    public void TearDown() => _services.Dispose();

    [Test]
    public void Publish_Served_TellsEveryObserverOfTheState()
    {
        var first = new RecordingObserver();
        var second = new RecordingObserver();
        var publisher = new SnapshotStatePublisher(_services.GetRequiredService<SnapshotPublisher>(), [first, second]);

        publisher.Publish(Valid).Success.Should().BeTrue();

        first.Served.Should().ContainSingle().Which.Should().BeSameAs(Valid);
        second.Served.Should().ContainSingle().Which.Should().BeSameAs(Valid);
    }

    [Test]
    public void Publish_Rejected_TellsNoObserver()
    {
        var observer = new RecordingObserver();
        var publisher = new SnapshotStatePublisher(_services.GetRequiredService<SnapshotPublisher>(), [observer]);
        publisher.Publish(Valid).Success.Should().BeTrue();

        publisher.Publish(Valid with { Version = 1 }).Success.Should().BeFalse();

        observer.Served.Should().ContainSingle().Which.Version.Should().Be(2);
    }

    [Test]
    public void DryRun_Accepted_TellsNoObserver()
    {
        var observer = new RecordingObserver();
        var publisher = new SnapshotStatePublisher(_services.GetRequiredService<SnapshotPublisher>(), [observer]);

        publisher.DryRun(Valid).Success.Should().BeTrue();

        observer.Served.Should().BeEmpty();
    }

    private sealed class RecordingObserver : IServedStateObserver
    {
        public List<DesiredState> Served { get; } = [];

        void IServedStateObserver.Served(DesiredState state) => Served.Add(state);
    }
}
