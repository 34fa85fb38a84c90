using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Hosting;
using Microsoft.Extensions.Configuration;

namespace MarchProxy.Alb.Tests.Hosting;

public sealed class LegacyEnvironmentConfigurationProviderTests
{
    private static IConfiguration Build(Dictionary<string, string?> environment) =>
        new ConfigurationBuilder().Add(new LegacyEnvironmentConfigurationSource(environment)).Build();

    [Test]
    public void Load_SeedVariables_MapsOntoTheirKeys()
    {
        var configuration = Build(new()
        {
            ["MODULE_ID"] = "alb-9",
            ["GRPC_PORT"] = "6000",
            ["XDS_PORT"] = "19000",
            ["HEALTH_PORT"] = "8081",
            ["METRICS_PORT"] = "9091",
            ["DATA_DIR"] = "/var/lib/alb",
            ["ALB_CONFIG_FILE"] = "/etc/alb/alb.json",
            ["CLUSTER_API_KEY"] = "k",
            ["ENVOY_BINARY"] = "/usr/local/bin/envoy",
            ["ENVOY_ENABLED"] = "no",
            ["ENVOY_ADMIN_PORT"] = "9902",
            ["ENVOY_LISTEN_PORT"] = "10001",
            ["ENVOY_LOG_LEVEL"] = "debug",
            ["ENVOY_CONCURRENCY"] = "2",
            ["XDS_MODE"] = "sotw",
            ["XDS_CLUSTER"] = "edge",
            ["LOG_FORMAT"] = "text",
            ["XDS_MEMORY_TRIM_STREAMS"] = "0",
        });

        configuration["Alb:ModuleId"].Should().Be("alb-9");
        configuration["Envoy:NodeId"].Should().Be("alb-9", "XDS_NODE_ID defaults to MODULE_ID");
        configuration["Alb:GrpcPort"].Should().Be("6000");
        configuration["Alb:XdsPort"].Should().Be("19000");
        configuration["Envoy:XdsPort"].Should().Be("19000");
        configuration["Alb:HealthPort"].Should().Be("8081");
        configuration["Alb:MetricsPort"].Should().Be("9091");
        configuration["Alb:DataDir"].Should().Be("/var/lib/alb");
        configuration["Envoy:DataDir"].Should().Be("/var/lib/alb");
        configuration["Alb:ConfigFile"].Should().Be("/etc/alb/alb.json");
        configuration["Alb:ClusterApiKey"].Should().Be("k");
        configuration["Envoy:BinaryPath"].Should().Be("/usr/local/bin/envoy");
        configuration["Envoy:Enabled"].Should().Be("false");
        configuration["Envoy:AdminPort"].Should().Be("9902");
        configuration["Envoy:ListenPort"].Should().Be("10001");
        configuration["Translation:DefaultListenerPort"].Should().Be("10001");
        configuration["Envoy:LogLevel"].Should().Be("debug");
        configuration["Envoy:Concurrency"].Should().Be("2");
        configuration["Envoy:XdsMode"].Should().Be("sotw");
        configuration["Envoy:NodeCluster"].Should().Be("edge");
        configuration["Alb:LogFormat"].Should().Be("text");
        configuration["StreamMemory:TrimAfterStreamChange"].Should().Be("0");
    }

    [Test]
    public void Load_Durations_AreWrittenInTheTimeSpanFormat()
    {
        var configuration = Build(new() { ["SHUTDOWN_TIMEOUT"] = "45s", ["DRAIN_TIMEOUT"] = "25s", ["RELOAD_GRACE_PERIOD"] = "1500ms" });

        configuration["Alb:ShutdownTimeout"].Should().Be("00:00:45");
        configuration["Envoy:DrainTimeout"].Should().Be("00:00:25", "the drain deadline is its own setting, not the whole budget");
        configuration["Envoy:ReloadGracePeriod"].Should().Be("00:00:01.5000000");
    }

    [TestCase("0.0.0.0", "127.0.0.1")]
    [TestCase("::", "::1")]
    [TestCase("10.1.2.3", "10.1.2.3")]
    public void Load_XdsBind_EnvoyConnectsToAnAddressItCanReach(string bind, string connect)
    {
        var configuration = Build(new() { ["XDS_BIND"] = bind });

        configuration["Alb:XdsBind"].Should().Be(bind);
        configuration["Envoy:XdsAddress"].Should().Be(connect);
    }

    [Test]
    public void Load_XdsNodeId_WinsOverModuleIdForTheNode()
    {
        var configuration = Build(new() { ["MODULE_ID"] = "alb-2", ["XDS_NODE_ID"] = "edge-node" });

        configuration["Alb:ModuleId"].Should().Be("alb-2");
        configuration["Envoy:NodeId"].Should().Be("edge-node");
    }

    [Test]
    public void Load_UnsetVariables_SetNothing()
    {
        var configuration = Build(new() { ["UNRELATED"] = "x" });

        configuration.AsEnumerable().Should().BeEmpty();
    }

    [Test]
    public void Load_MalformedValues_ThrowsListingEveryBadVariable()
    {
        var act = () => Build(new()
        {
            ["XDS_PORT"] = "70000",
            ["ENVOY_ENABLED"] = "maybe",
            ["XDS_MODE"] = "rest",
            ["ENVOY_CONCURRENCY"] = "two",
            ["RELOAD_GRACE_PERIOD"] = "later",
        });

        act.Should().Throw<AlbConfigurationException>().Which.Message.Should()
            .Contain("XDS_PORT (Alb:XdsPort, Envoy:XdsPort) must be a port number 0-65535, got '70000'")
            .And.Contain("ENVOY_ENABLED (Envoy:Enabled) must be true or false, got 'maybe'")
            .And.Contain("XDS_MODE (Envoy:XdsMode) must be one of delta, sotw, got 'rest'")
            .And.Contain("ENVOY_CONCURRENCY (Envoy:Concurrency) must be an integer")
            .And.Contain("RELOAD_GRACE_PERIOD (Envoy:ReloadGracePeriod) must be a duration");
    }
}
