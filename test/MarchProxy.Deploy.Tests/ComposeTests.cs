using MarchProxy.Deploy.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace MarchProxy.Deploy.Tests;

/// <summary>deploy/compose.yaml: the stack it starts, checked against the repository and the ALB.</summary>
public sealed class ComposeTests
{
    private static readonly YamlMappingNode Compose = Yaml.Load(ProjectFacts.Deploy("compose.yaml"));

    [Test]
    public void Services_AlbWithEnvoyDemoPrometheusGrafana()
    {
        Compose.Entries("services").Select(s => s.Key).Should().BeEquivalentTo("alb", "demo", "prometheus", "grafana");
        foreach (var (name, service) in Compose.Entries("services"))
        {
            service.Text("image").Should().MatchRegex(@":[\w.-]+$", $"{name} pins its image tag");
        }
    }

    [Test]
    public void Alb_BuildsTheDockerfileAndPublishesTheListener()
    {
        var alb = Compose.Get("services", "alb")!;
        var context = Path.GetFullPath(Path.Combine(ProjectFacts.Deploy(), alb.Text("build", "context")!));

        context.Should().Be(RepositoryRoot.Path);
        File.Exists(Path.Combine(context, alb.Text("build", "dockerfile")!)).Should().BeTrue();
        var ports = alb.Items("ports").Select(p => ((YamlScalarNode)p).Value!).ToList();
        var listen = ProjectFacts.DefaultPort("Envoy", "ListenPort");
        ports.Should().Contain($"{listen}:{listen}", "curl localhost:10000 reaches Envoy");
        ports.Should().Contain($"{ProjectFacts.DefaultPort("Alb", "GrpcPort")}:{ProjectFacts.DefaultPort("Alb", "GrpcPort")}");
        alb.Entries("environment").Select(e => e.Key).Should().OnlyContain(name => ProjectFacts.IsKnownVariable(name));
    }

    [Test]
    public void Alb_ConfigRoutesToTheDemoService()
    {
        var alb = Compose.Get("services", "alb")!;
        var configFile = alb.Text("environment", "ALB_CONFIG_FILE")!;
        var mount = alb.Items("volumes").Select(v => ((YamlScalarNode)v).Value!.Split(':')).Single(v => v[1] == configFile);

        var state = StandaloneConfigCheck.Load(File.ReadAllText(Path.Combine(ProjectFacts.Deploy(), mount[0])));

        state.Routes.Values.Should().ContainSingle().Which.Match!.PathPrefix.Should().Be("/");
        var endpoint = state.Clusters.Values.Single().Endpoints.Single();
        Compose.Entries("services").Select(s => s.Key).Should().Contain(endpoint.Address, "the cluster's destination is a compose service");
        Compose.Get("services", endpoint.Address)!.Items("expose").Select(p => ((YamlScalarNode)p).Value).Should().Contain(endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public void Volumes_EveryHostPathExists()
    {
        foreach (var (name, service) in Compose.Entries("services"))
        {
            foreach (var volume in service.Items("volumes").Select(v => ((YamlScalarNode)v).Value!))
            {
                var source = volume.Split(':')[0];
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
    public void Prometheus_ScrapesTheAlbsMetricsPort()
    {
        var config = Mount("prometheus", "/etc/prometheus/prometheus.yml");

        var target = ((YamlScalarNode)Yaml.Load(config).Items("scrape_configs").Single().Items("static_configs").Single().Items("targets").Single()).Value;

        target.Should().Be($"alb:{ProjectFacts.DefaultPort("Alb", "MetricsPort")}");
    }

    [Test]
    public void Grafana_ProvisionsPrometheusAndTheDashboard()
    {
        var datasource = Yaml.Load(Mount("grafana", "/etc/grafana/provisioning/datasources/marchproxy.yaml")).Items("datasources").Single();
        var provider = Yaml.Load(Mount("grafana", "/etc/grafana/provisioning/dashboards/marchproxy.yaml")).Items("providers").Single();
        var dashboard = Compose.Get("services", "grafana")!.Items("volumes").Select(v => ((YamlScalarNode)v).Value!.Split(':'))
            .Single(v => v[0] == "./grafana-dashboard.json");

        datasource.Text("type").Should().Be("prometheus");
        datasource.Text("url").Should().Be("http://prometheus:9090");
        Path.GetDirectoryName(dashboard[1]).Should().Be(provider.Text("options", "path"));
    }

    private static string Mount(string service, string target)
    {
        var volume = Compose.Get("services", service)!.Items("volumes").Select(v => ((YamlScalarNode)v).Value!.Split(':')).Single(v => v[1] == target);
        return Path.Combine(ProjectFacts.Deploy(), volume[0]);
    }
}
