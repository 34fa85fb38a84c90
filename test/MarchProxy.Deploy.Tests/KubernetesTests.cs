using k8s;
using k8s.Models;
using MarchProxy.Deploy.Tests.Infrastructure;

namespace MarchProxy.Deploy.Tests;

/// <summary>
/// deploy/kubernetes: every manifest loads strictly into the Kubernetes client's models (an unknown or
/// misplaced field fails), and the objects agree with each other and with the ALB.
/// </summary>
public sealed class KubernetesTests
{
    private static readonly Dictionary<string, Type> CustomResources = new(StringComparer.Ordinal)
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
    };

    private static readonly List<object> Objects = LoadObjects();

    private static V1Deployment Deployment => Objects.OfType<V1Deployment>().Single();

    private static V1Container Alb => Deployment.Spec.Template.Spec.Containers.Single();

    private static Dictionary<string, string> Env => Alb.Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);

    [Test]
    public void Kustomization_ListsEveryManifestAndEveryManifestExists()
    {
        var kustomization = Yaml.Load(ProjectFacts.Deploy("kubernetes", "kustomization.yaml"));
        var resources = kustomization.Items("resources").Select(r => ((YamlDotNet.RepresentationModel.YamlScalarNode)r).Value!).ToList();
        var manifests = Directory.EnumerateFiles(ProjectFacts.Deploy("kubernetes"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");

        kustomization.Text("apiVersion").Should().Be("kustomize.config.k8s.io/v1beta1");
        kustomization.Text("kind").Should().Be("Kustomization");
        resources.Should().BeEquivalentTo(manifests);
        kustomization.Items("images").Select(i => i.Text("name")).Should().Contain(Alb.Image);
        Objects.Should().HaveCount(resources.Count);
    }

    [Test]
    public void Deployment_ProbesUseTheHealthPortAndItsPaths()
    {
        var health = Alb.Ports.Single(p => p.Name == "health");

        health.ContainerPort.Should().Be(ProjectFacts.DefaultPort("Alb", "HealthPort"));
        Alb.LivenessProbe.HttpGet.Path.Should().Be("/healthz");
        Alb.StartupProbe.HttpGet.Path.Should().Be("/healthz");
        Alb.ReadinessProbe.HttpGet.Path.Should().Be("/readyz");
        new[] { Alb.LivenessProbe, Alb.ReadinessProbe, Alb.StartupProbe }.Select(p => p.HttpGet.Port.Value).Should().OnlyContain(p => p == "health");
    }

    [Test]
    public void Deployment_PortsAreTheAlbDefaults()
    {
        Alb.Ports.ToDictionary(p => p.Name, p => p.ContainerPort).Should().BeEquivalentTo(new Dictionary<string, int>
        {
            ["http"] = ProjectFacts.DefaultPort("Envoy", "ListenPort"),
            ["grpc-api"] = ProjectFacts.DefaultPort("Alb", "GrpcPort"),
            ["health"] = ProjectFacts.DefaultPort("Alb", "HealthPort"),
            ["metrics"] = ProjectFacts.DefaultPort("Alb", "MetricsPort"),
        });
        Env.Keys.Should().NotContain(["GRPC_PORT", "HEALTH_PORT", "METRICS_PORT", "ENVOY_LISTEN_PORT"], "the ports above are the defaults");
    }

    [Test]
    public void Deployment_NonRootReadOnlyRootAndNoPrivileges()
    {
        var pod = Deployment.Spec.Template.Spec.SecurityContext;

        pod.RunAsNonRoot.Should().BeTrue();
        pod.RunAsUser.Should().Be(1654, "the image's APP_UID, which owns /var/lib/marchproxy");
        Alb.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        Alb.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        Alb.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
    }

    [Test]
    public void Deployment_VolumesHoldDataDirConfigAndTmp()
    {
        var volumes = Deployment.Spec.Template.Spec.Volumes.ToDictionary(v => v.Name);
        var mounts = Alb.VolumeMounts.ToDictionary(m => m.MountPath, m => m.Name);

        volumes[mounts[Env["DATA_DIR"]]].PersistentVolumeClaim.ClaimName.Should().Be(Objects.OfType<V1PersistentVolumeClaim>().Single().Metadata.Name);
        var configMap = Objects.OfType<V1ConfigMap>().Single();
        volumes[mounts[Path.GetDirectoryName(Env["ALB_CONFIG_FILE"])!]].ConfigMap.Name.Should().Be(configMap.Metadata.Name);
        configMap.Data.Keys.Should().Contain(Path.GetFileName(Env["ALB_CONFIG_FILE"]));
        volumes[mounts["/tmp"]].EmptyDir.Should().NotBeNull("the root filesystem is read-only");
        Deployment.Spec.Strategy.Type.Should().Be("Recreate");
    }

    [Test]
    public void ConfigMap_AlbJson_LoadsInTheAlb()
    {
        var json = Objects.OfType<V1ConfigMap>().Single().Data["alb.json"];

        var state = StandaloneConfigCheck.Load(json);

        state.Routes.Should().NotBeEmpty();
        state.Clusters.Values.SelectMany(c => c.Endpoints).Should().OnlyContain(e => e.Port == ProjectFacts.DefaultPort("Alb", "HealthPort"));
    }

    [Test]
    public void Env_NamesAreTheAlbsAndTheApiKeyComesFromTheSecret()
    {
        var secret = Objects.OfType<V1Secret>().Single();
        var key = Alb.Env.Single(e => e.Name == "CLUSTER_API_KEY").ValueFrom.SecretKeyRef;

        Alb.Env.Select(e => e.Name).Should().OnlyContain(name => ProjectFacts.IsKnownVariable(name));
        key.Name.Should().Be(secret.Metadata.Name);
        secret.StringData.Keys.Should().Contain(key.Key);
    }

    [Test]
    public void ServiceAndServiceMonitor_SelectThePodAndNameItsPorts()
    {
        var service = Objects.OfType<V1Service>().Single();
        var monitor = Objects.OfType<ServiceMonitor>().Single();
        var podLabels = Deployment.Spec.Template.Metadata.Labels;

        service.Spec.Selector.Should().BeSubsetOf(podLabels);
        Deployment.Spec.Selector.MatchLabels.Should().BeSubsetOf(podLabels);
        service.Spec.Ports.Select(p => p.TargetPort.Value).Should().BeSubsetOf(Alb.Ports.Select(p => p.Name));
        monitor.Spec.Selector.MatchLabels.Should().BeSubsetOf(service.Metadata.Labels);
        monitor.Spec.Endpoints.Single().Port.Should().BeOneOf(service.Spec.Ports.Select(p => p.Name));
        monitor.Spec.Endpoints.Single().Path.Should().Be("/metrics");
    }

    [Test]
    public void Manifests_UnknownField_IsRefusedByTheStrictLoader()
    {
        const string Typo = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  selectr: {}\n";

        var act = () => KubernetesYaml.LoadAllFromString(Typo, CustomResources, strict: true);

        act.Should().Throw<Exception>("the strict loader is what makes these checks a schema check");
    }

    internal static int TerminationGracePeriod => (int)Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds!.Value;

    internal static string? ShutdownTimeout => Env.GetValueOrDefault("SHUTDOWN_TIMEOUT");

    private static List<object> LoadObjects() => Directory.EnumerateFiles(ProjectFacts.Deploy("kubernetes"), "*.yaml")
        .Where(f => Path.GetFileName(f) != "kustomization.yaml")
        .SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f), CustomResources, strict: true))
        .ToList();
}
