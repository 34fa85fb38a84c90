using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Translation;

namespace MarchProxy.ControlPlane.Tests.Cache;

public sealed class RouteConfigurationEncoderTests
{
    private static IEnumerable<TestCaseData> Configurations()
    {
        yield return new TestCaseData(new RouteConfiguration()).SetName("Encode_EmptyConfiguration_EqualsToByteArray");
        yield return new TestCaseData(new RouteConfiguration { Name = "r" }).SetName("Encode_NoVirtualHosts_EqualsToByteArray");
        yield return new TestCaseData(new RouteConfiguration { Name = "r", VirtualHosts = { Host("a", 1) } })
            .SetName("Encode_OneVirtualHost_EqualsToByteArray");
        yield return new TestCaseData(new RouteConfiguration { VirtualHosts = { Host("a", 1), Host("b", 2) } })
            .SetName("Encode_VirtualHostsWithoutName_EqualsToByteArray");
        yield return new TestCaseData(new RouteConfiguration
        {
            Name = "r",
            VirtualHosts = { Host("a", 1), Host("b", 3), Host("big", 2_000), Host("c", 40) },
        }).SetName("Encode_ManyVirtualHostsOfEverySize_EqualsToByteArray");
        yield return new TestCaseData(WithOtherFields(new RouteConfiguration
        {
            Name = "r",
            VirtualHosts = { Host("a", 1), Host("b", 300) },
        })).SetName("Encode_OtherFieldsAfterVirtualHosts_EqualsToByteArray");
        yield return new TestCaseData(WithOtherFields(new RouteConfiguration())).SetName("Encode_OnlyOtherFields_EqualsToByteArray");
    }

    [TestCaseSource(nameof(Configurations))]
    public void Encode_Configuration_EqualsToByteArray(RouteConfiguration config)
    {
        var encoded = RouteConfigurationEncoder.Encode(config, prior: null);

        encoded.Bytes.Should().Equal(config.ToByteArray());
        encoded.VirtualHostsSerialised.Should().Be(config.VirtualHosts.Count);
        encoded.References.Should().BeEquivalentTo(ResourceReferences.Of(config), o => o.WithStrictOrdering());
        encoded.VirtualHosts.Select(v => v.Bytes.ToArray()).Should().BeEquivalentTo(
            config.VirtualHosts.Select(v => v.ToByteArray()), o => o.WithStrictOrdering());
    }

    [Test]
    public void Encode_DoesNotChangeTheSharedMessage()
    {
        var config = WithOtherFields(new RouteConfiguration { Name = "r", VirtualHosts = { Host("a", 2) } });
        var before = config.Clone();

        RouteConfigurationEncoder.Encode(config, prior: null);

        config.Should().Be(before);
    }

    [Test]
    public void Create_OneVirtualHostChanged_SerialisesOnlyThatHostAndKeepsTheBytes()
    {
        var hosts = Enumerable.Range(0, 5).Select(i => Host($"h{i}", 20)).ToArray();
        var v1Config = WithOtherFields(new RouteConfiguration { Name = "r", VirtualHosts = { hosts } });
        var v1 = Snapshot.Create(1, Resources(v1Config).ByType());
        hosts[2] = Host("h2", 21);
        var v2Config = WithOtherFields(new RouteConfiguration { Name = "r", VirtualHosts = { hosts } });

        var v2 = Snapshot.Create(2, Resources(v2Config).ByType(), v1);

        v1.VirtualHostsSerialised.Should().Be(5);
        v2.VirtualHostsSerialised.Should().Be(1);
        var cached = v2.Routes.Find("r")!;
        cached.Resource.Value.ToByteArray().Should().Equal(v2Config.ToByteArray());
        cached.Version.Should().Be(Snapshot.Create(2, Resources(v2Config).ByType()).Routes.Find("r")!.Version);
        cached.Resource.Unpack<RouteConfiguration>().Should().Be(v2Config);
        cached.References.Should().BeEquivalentTo(ResourceReferences.Of(v2Config), o => o.WithStrictOrdering());
    }

    [Test]
    public void Create_OneVirtualHostChangedOverTheSameClusters_ReusesThePriorClusterList()
    {
        var hosts = Enumerable.Range(0, 4).Select(i => Host($"h{i}", 20)).ToArray();
        var v1 = Snapshot.Create(1, Resources(new RouteConfiguration { Name = "r", VirtualHosts = { hosts } }).ByType());
        hosts[1] = Host("h1", 27);
        var v2Config = new RouteConfiguration { Name = "r", VirtualHosts = { hosts } };

        var v2 = Snapshot.Create(2, Resources(v2Config).ByType(), v1);

        var cached = v2.Routes.Find("r")!;
        cached.References.Clusters.Should().BeSameAs(v1.Routes.Find("r")!.References.Clusters);
        cached.References.Should().BeEquivalentTo(ResourceReferences.Of(v2Config), o => o.WithStrictOrdering());
    }

    [Test]
    public void Create_OneVirtualHostChangedToOtherClusters_ReferencesTheNewClustersOnly()
    {
        var hosts = new[] { "a", "b", "c" }.Select(name => Host(name, 20)).ToArray();
        var v1 = Snapshot.Create(1, Resources(new RouteConfiguration { Name = "r", VirtualHosts = { hosts } }).ByType());
        hosts[0] = Host("a", 3, clusterPrefix: "moved");
        var v2Config = new RouteConfiguration { Name = "r", VirtualHosts = { hosts } };

        var v2 = Snapshot.Create(2, Resources(v2Config).ByType(), v1);

        var cached = v2.Routes.Find("r")!;
        cached.References.Should().BeEquivalentTo(ResourceReferences.Of(v2Config), o => o.WithStrictOrdering());
        cached.References.Clusters.Should().Contain("moved-cluster-2").And.NotContain("a-cluster-0");
    }

    [Test]
    public void Create_HostsReorderedAndRemoved_ReusesTheRestAndKeepsOnlyCurrentHosts()
    {
        var hosts = Enumerable.Range(0, 4).Select(i => Host($"h{i}", 3)).ToArray();
        var v1 = Snapshot.Create(1, Resources(new RouteConfiguration { Name = "r", VirtualHosts = { hosts } }).ByType());
        var v2Config = new RouteConfiguration { Name = "r", VirtualHosts = { hosts[3], hosts[0], Host("new", 1) } };

        var v2 = Snapshot.Create(2, Resources(v2Config).ByType(), v1);

        v2.VirtualHostsSerialised.Should().Be(1);
        var cached = v2.Routes.Find("r")!;
        cached.Resource.Value.ToByteArray().Should().Equal(v2Config.ToByteArray());
        cached.References.Should().BeEquivalentTo(ResourceReferences.Of(v2Config), o => o.WithStrictOrdering());
        cached.VirtualHosts.Should().HaveCount(3);
        cached.VirtualHosts!.Select(v => v.Bytes.ToArray()).Should().BeEquivalentTo(
            v2Config.VirtualHosts.Select(v => v.ToByteArray()), o => o.WithStrictOrdering());
    }

    [Test]
    public void Create_WholeSerialisation_GivesTheSameBytesAndVersion()
    {
        var hosts = Enumerable.Range(0, 3).Select(i => Host($"h{i}", 10)).ToArray();
        var v1 = Snapshot.Create(1, Resources(new RouteConfiguration { Name = "r", VirtualHosts = { hosts } }).ByType());
        var next = Resources(WithOtherFields(new RouteConfiguration { Name = "r", VirtualHosts = { hosts[1], Host("x", 2) } }));

        var spliced = Snapshot.Create(2, next.ByType(), v1, reuseVirtualHostBytes: true).Routes.Find("r")!;
        var whole = Snapshot.Create(2, next.ByType(), v1, reuseVirtualHostBytes: false).Routes.Find("r")!;

        spliced.Version.Should().Be(whole.Version);
        spliced.Resource.Value.Should().Equal(whole.Resource.Value);
    }

    [Test]
    public void Create_EqualContentInNewInstances_KeepsThePriorResource()
    {
        var v1 = Snapshot.Create(1, Resources(new RouteConfiguration { Name = "r", VirtualHosts = { Host("a", 2) } }).ByType());

        var v2 = Snapshot.Create(2, Resources(new RouteConfiguration { Name = "r", VirtualHosts = { Host("a", 2) } }).ByType(), v1);

        v2.Routes.Should().BeSameAs(v1.Routes);
        v2.VirtualHostsSerialised.Should().Be(1);
    }

    private static TranslatedResources Resources(RouteConfiguration config) => new([], [], [], [config]);

    private static VirtualHost Host(string name, int routes, string? clusterPrefix = null) => new()
    {
        Name = name,
        Domains = { name + ".example.com" },
        Routes =
        {
            Enumerable.Range(0, routes).Select(i => new Route
            {
                Name = $"{name}-{i}",
                Match = new RouteMatch { Prefix = $"/svc/{i}" },
                Route_ = new RouteAction { Cluster = $"{clusterPrefix ?? name[..1]}-cluster-{i % 7}", Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) },
            }),
        },
    };

    private static RouteConfiguration WithOtherFields(RouteConfiguration config)
    {
        config.InternalOnlyHeaders.Add("x-internal");
        config.ResponseHeadersToAdd.Add(new HeaderValueOption { Header = new HeaderValue { Key = "x-a", Value = "1" } });
        config.ResponseHeadersToRemove.Add("x-b");
        config.RequestHeadersToRemove.Add("x-c");
        config.ValidateClusters = false;
        config.Vhds = new Vhds { ConfigSource = new ConfigSource() };
        config.MostSpecificHeaderMutationsWins = true;
        config.MaxDirectResponseBodySizeBytes = 4096;
        config.IgnorePortInHostMatching = true;
        config.TypedPerFilterConfig.Add("f", Any.Pack(new StringValue { Value = "v" }));
        config.Metadata = new Metadata { FilterMetadata = { ["m"] = new Struct() } };
        return config;
    }
}
