using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Publishing;
using MarchProxy.ControlPlane.Server;
using MarchProxy.ControlPlane.Tests.TestSupport;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MarchProxy.ControlPlane.Tests;

public sealed class ControlPlaneServiceCollectionExtensionsTests
{
    [Test]
    public void AddMarchProxyControlPlane_ResolvesEveryPartAsOneSingletonGraph()
    {
        using var provider = new ServiceCollection().AddLogging().AddMarchProxyControlPlane().BuildServiceProvider(validateScopes: true);

        provider.GetRequiredService<IAckLedger>().Should().BeSameAs(provider.GetRequiredService<AckLedger>());
        provider.GetRequiredService<ISnapshotCache>().Should().BeSameAs(provider.GetRequiredService<ISnapshotCache>());
        provider.GetServices<IResourceTranslator>().Select(t => t.Kind).Should().BeEquivalentTo([NodeKind.Envoy, NodeKind.Grpc]);
        provider.GetRequiredService<IControlPlaneObserver>().Should().BeOfType<NullControlPlaneObserver>();
        provider.GetRequiredService<SnapshotPublisher>().Should().NotBeNull();
        provider.GetRequiredService<AdsService>().Should().NotBeNull();
        provider.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
    }

    [Test]
    public void AddMarchProxyControlPlane_CalledTwiceOrAfterAnObserver_KeepsOneOfEachAndTheHostsObserver()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IControlPlaneObserver, RecordingObserver>();

        using var provider = services.AddMarchProxyControlPlane().AddMarchProxyControlPlane().BuildServiceProvider();

        provider.GetRequiredService<IControlPlaneObserver>().Should().BeOfType<RecordingObserver>();
        provider.GetServices<IResourceTranslator>().Should().HaveCount(2);
        provider.GetServices<ISnapshotCache>().Should().HaveCount(1);
    }

    [Test]
    public void AddMarchProxyControlPlane_InvalidTranslationOptions_FailsWhenResolvedNamingTheSetting()
    {
        var services = new ServiceCollection().AddLogging().AddMarchProxyControlPlane();
        services.Configure<TranslationOptions>(o => o.DefaultListenerPort = 70000);
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<IOptions<TranslationOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().ContainSingle(f => f.Contains("DefaultListenerPort", StringComparison.Ordinal));
    }

    [Test]
    public void Publish_ThroughTheContainer_FeedsTheCacheTheAdsServiceReads()
    {
        using var provider = new ServiceCollection().AddLogging().AddMarchProxyControlPlane().BuildServiceProvider();

        var result = provider.GetRequiredService<SnapshotPublisher>().Publish(SpecFactory.State(SpecFactory.Cluster("a"), SpecFactory.Route("r", "a")));

        result.Success.Should().BeTrue();
        provider.GetRequiredService<ISnapshotCache>().GetSnapshot(NodeKind.Envoy)!.Version.Should().Be(1);
    }
}
