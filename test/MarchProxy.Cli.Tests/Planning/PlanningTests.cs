using MarchProxy.Api.V1;
using MarchProxy.Cli.Config;
using MarchProxy.Cli.Planning;

namespace MarchProxy.Cli.Tests.Planning;

public sealed class PlanningTests
{
    [Test]
    public void Normalize_ZeroesAndDefaultSpellings_CompareEqualToTheApiDefaults()
    {
        var sparse = new ClusterConfig { Name = "c", HealthCheck = new HealthCheckConfig { HttpPath = "/h" }, Tls = new UpstreamTlsConfig { Enabled = false } };
        sparse.Endpoints.Add(new Api.V1.Endpoint { Address = "10.0.0.1", Port = 80 });
        var explicitDefaults = new ClusterConfig
        {
            Name = "c",
            LbPolicy = "ROUND_ROBIN",
            ConnectTimeoutMs = 5000,
            HealthCheck = new HealthCheckConfig { HttpPath = "/h", IntervalMs = 5000, TimeoutMs = 1000, HealthyThreshold = 2, UnhealthyThreshold = 3 },
            CircuitBreakers = new CircuitBreakerConfig(),
        };
        explicitDefaults.Endpoints.Add(new Api.V1.Endpoint { Address = "10.0.0.1", Port = 80, Weight = 1 });

        ResourceNormalizer.Normalize(sparse).Should().Be(ResourceNormalizer.Normalize(explicitDefaults));
    }

    [Test]
    public void Build_CreateUpdateUnchangedAndPrune_InApplyOrder()
    {
        var desired = new DesiredConfig();
        desired.Clusters.Add(Cluster("same", 80));
        desired.Clusters.Add(Cluster("changed", 81));
        desired.Clusters.Add(Cluster("new", 82));
        desired.Routes.Add(new RouteConfig { Name = "r", Prefix = "/", ClusterName = "new", Enabled = true });
        var live = new ClustersResponse { Version = 7 };
        live.Clusters.Add(Cluster("same", 80));
        live.Clusters.Add(Cluster("changed", 90));
        live.Clusters.Add(Cluster("extra", 83));
        var routes = new RoutesResponse { Version = 7 };
        routes.Routes.Add(new RouteConfig { Name = "old", Prefix = "/old", ClusterName = "extra", Enabled = true });

        var plan = ChangePlan.Build(desired, live, routes, prune: true);

        plan.Changes.Select(c => (c.Kind, c.Name, c.Action)).Should().Equal(
            ("cluster", "same", ChangeAction.Unchanged),
            ("cluster", "changed", ChangeAction.Update),
            ("cluster", "new", ChangeAction.Create),
            ("route", "r", ChangeAction.Create),
            ("route", "old", ChangeAction.Delete),
            ("cluster", "extra", ChangeAction.Delete));
        plan.Changes[1].Fields.Should().ContainSingle().Which.Should().Be(new FieldChange(
            "endpoints",
            "[{ \"address\": \"10.0.0.1\", \"port\": 90, \"weight\": 1 }]",
            "[{ \"address\": \"10.0.0.1\", \"port\": 81, \"weight\": 1 }]"));
        plan.LiveVersion.Should().Be(7);
    }

    private static ClusterConfig Cluster(string name, uint port)
    {
        var cluster = new ClusterConfig { Name = name };
        cluster.Endpoints.Add(new Api.V1.Endpoint { Address = "10.0.0.1", Port = port });
        return cluster;
    }
}
