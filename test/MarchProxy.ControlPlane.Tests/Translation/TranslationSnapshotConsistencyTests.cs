using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;

namespace MarchProxy.ControlPlane.Tests.Translation;

/// <summary>What the translators emit must pass the snapshot's reference check (no dangling RDS, CDS or EDS names).</summary>
public sealed class TranslationSnapshotConsistencyTests
{
    private static DesiredState RichState() => State(
        Cluster("blue"),
        Cluster("green", "10.0.0.2", "::1"),
        Cluster("dns", "backend.internal"),
        Split("split", ("blue", 90), ("green", 10)) with { Match = new RouteMatchSpec { PathPrefix = "/", Hosts = ["shop.example.com"] }, RateLimit = new RateLimitSpec(10, 5) },
        Route("api", "dns", "/api", "api.example.com", "*.example.com"),
        Route("root", "blue"),
        Route("off", "green", "/off") with { Enabled = false },
        Listener("public", 8080),
        Listener("admin", 8081));

    [Test]
    public void EnvoyTranslation_RichState_IsConsistent()
    {
        var translator = new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance);

        var snapshot = Snapshot.Create(1, translator.Translate(RichState()).ByType());

        snapshot.CheckConsistency().Should().BeEmpty();
        snapshot.ResourceCount.Should().Be(3 + 2 + 2 + 1);
    }

    [Test]
    public void GrpcTranslation_RichState_IsConsistent()
    {
        var translator = new GrpcTranslator(NullLogger<GrpcTranslator>.Instance);

        var snapshot = Snapshot.Create(1, translator.Translate(RichState()).ByType());

        snapshot.CheckConsistency().Should().BeEmpty();
        snapshot.ResourceCount.Should().Be(3 + 3 + 2 + 2, "three clusters, three assignments, and a listener and route configuration per exact host");
    }

    [Test]
    public void EnvoyTranslation_EmptyState_IsConsistent()
    {
        var translator = new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance);

        Snapshot.Create(1, translator.Translate(DesiredState.Empty).ByType()).CheckConsistency().Should().BeEmpty();
    }
}
