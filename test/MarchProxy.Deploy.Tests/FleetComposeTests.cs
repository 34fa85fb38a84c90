using MarchProxy.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace MarchProxy.Deploy.Tests;

/// <summary>deploy/compose.fleet.yaml: three ALBs on one etcd, checked against the ALB's settings.</summary>
public sealed class FleetComposeTests
{
    private static readonly YamlMappingNode Compose = Yaml.Load(ProjectFacts.Deploy("compose.fleet.yaml"));

    private static IEnumerable<(string Name, YamlNode Service)> Albs =>
        Compose.Entries("services").Where(s => s.Key.StartsWith("alb-", StringComparison.Ordinal));

    [Test]
    public void Services_EtcdThreeAlbsAndTheDemo_WithPinnedImages()
    {
        Compose.Entries("services").Select(s => s.Key).Should().BeEquivalentTo("etcd", "alb-1", "alb-2", "alb-3", "demo");
        foreach (var (name, service) in Compose.Entries("services"))
        {
            service.Text("image").Should().MatchRegex(@":[\w.-]+$", $"{name} pins its image tag");
        }
    }

    [Test]
    public void Albs_ShareEtcdWithTheirOwnIdentityDataAndPorts()
    {
        var etcd = Compose.Get("services", "etcd")!.Items("command").Select(c => ((YamlScalarNode)c).Value!).ToList();
        var advertised = etcd.Single(c => c.StartsWith("--advertise-client-urls=", StringComparison.Ordinal)).Split('=')[1];

        foreach (var (name, alb) in Albs)
        {
            alb.Entries("environment").Select(e => e.Key).Should().OnlyContain(v => ProjectFacts.IsKnownVariable(v), $"{name} sets only variables the ALB reads");
            alb.Text("environment", "STATE_STORE").Should().Be("etcd");
            alb.Text("environment", "ETCD_ENDPOINTS").Should().Be(advertised, $"{name} reaches etcd where it advertises itself");
            alb.Text("environment", "MODULE_ID").Should().Be(name, "each member key is the ALB's MODULE_ID");
            alb.Items("depends_on").Select(d => ((YamlScalarNode)d).Value).Should().Contain("etcd");
        }

        Albs.SelectMany(a => a.Service.Items("ports").Select(p => ((YamlScalarNode)p).Value!.Split(':')[0])).Should().OnlyHaveUniqueItems("each ALB publishes its own host ports");
        Albs.Select(a => a.Service.Items("volumes").Select(v => ((YamlScalarNode)v).Value!).Single(v => v.EndsWith(":/var/lib/marchproxy", StringComparison.Ordinal)))
            .Should().OnlyHaveUniqueItems("each ALB keeps its own local copy in DATA_DIR");
    }

    [Test]
    public void Volumes_EveryHostPathExistsAndEveryNamedVolumeIsDeclared()
    {
        foreach (var (name, service) in Compose.Entries("services"))
        {
            foreach (var source in service.Items("volumes").Select(v => ((YamlScalarNode)v).Value!.Split(':')[0]))
            {
                if (source.StartsWith('.'))
                {
                    File.Exists(Path.Combine(ProjectFacts.Deploy(), source)).Should().BeTrue($"{name} mounts {source}");
                }
                else
                {
                    Compose.Entries("volumes").Select(v => v.Key).Should().Contain(source, $"{name}'s named volume is declared");
                }
            }
        }
    }

    [Test]
    public void Albs_StopGraceExceedsTheShutdownTimeout()
    {
        foreach (var (name, alb) in Albs)
        {
            var grace = int.Parse(alb.Text("stop_grace_period")!.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture);
            var shutdown = int.Parse(alb.Text("environment", "SHUTDOWN_TIMEOUT")!.TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture);
            grace.Should().BeGreaterThan(shutdown, $"{name} drains Envoy before Docker's SIGKILL");
        }
    }
}
