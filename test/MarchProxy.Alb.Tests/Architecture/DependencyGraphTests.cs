using MarchProxy.Alb.Hosting;
using MarchProxy.Alb.Tests.Architecture.Planted.Upper;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.Alb.Tests.Architecture;

/// <summary>The arrows point one way: between projects, and between the folders (namespaces) inside the ALB and the control plane.</summary>
public sealed class DependencyGraphTests
{
    [Test]
    public void ProjectReferences_SrcAndTest_FormNoCycle()
    {
        var projects = ProjectGraph.Read(RepositoryRoot.Combine("src"), RepositoryRoot.Combine("test"), RepositoryRoot.Combine("examples"));

        projects.Should().ContainKey("MarchProxy.Alb").WhoseValue.Should().Contain("MarchProxy.ControlPlane");
        DependencyCycles.Find(projects).Select(c => string.Join(" → ", c)).Should().BeEmpty();
    }

    [Test]
    public void Namespaces_ControlPlane_FormNoCycle()
    {
        var graph = Read(typeof(SnapshotCache), "MarchProxy.ControlPlane");

        graph.DescribeCycles().Should().BeEmpty();
    }

    /// <summary>
    /// Hosting composes the features (Telemetry, Api, Health, Fleet), which stand on State and the
    /// shared vocabulary (Configuration). Where a lower feature needs a higher one (the fleet reads
    /// readiness and announces applied versions to WatchEvents) it goes through an interface it or
    /// State owns, implemented above and joined in Hosting.
    /// </summary>
    [Test]
    public void Namespaces_Alb_FormNoCycle()
    {
        var graph = Read(typeof(AlbHost), "MarchProxy.Alb");

        graph.DescribeCycles().Should().BeEmpty();
        graph.Edges.Should().ContainKeys("MarchProxy.Alb.Hosting", "MarchProxy.Alb.Configuration", "MarchProxy.Alb.State", "MarchProxy.Alb.Fleet");
        graph.Edges["MarchProxy.Alb.Configuration"].Should().BeEmpty("the shared vocabulary is a leaf");
        graph.Edges["MarchProxy.Alb.Fleet"].Should().NotContain(["MarchProxy.Alb.Api", "MarchProxy.Alb.Health"], "the fleet is below the API and readiness");
    }

    private static NamespaceGraph Read(Type anchor, string root)
    {
        var graph = NamespaceGraph.Read(anchor.Assembly.Location, root);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, graph.Edges.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key} → {string.Join(", ", e.Value.Order(StringComparer.Ordinal))}")));
        graph.Edges.Should().HaveCountGreaterThan(3, "the reader must see the assembly's folders");
        return graph;
    }

    [Test]
    public void Namespaces_PlantedCycleThroughAMethodBodyAndAField_IsReportedWithItsPath()
    {
        var graph = NamespaceGraph.Read(typeof(PlantedUpper).Assembly.Location, "MarchProxy.Alb.Tests.Architecture.Planted");

        graph.DescribeCycles().Should().Equal(
            "MarchProxy.Alb.Tests.Architecture.Planted.Lower"
            + " → MarchProxy.Alb.Tests.Architecture.Planted.Upper (MarchProxy.Alb.Tests.Architecture.Planted.Lower.PlantedLower uses MarchProxy.Alb.Tests.Architecture.Planted.Upper.PlantedUpper)"
            + " → MarchProxy.Alb.Tests.Architecture.Planted.Lower (MarchProxy.Alb.Tests.Architecture.Planted.Upper.PlantedUpper uses MarchProxy.Alb.Tests.Architecture.Planted.Lower.PlantedLower)");
    }

    [Test]
    public void Find_PlantedProjectCycle_ReturnsItAndNothingForTheAcyclicRest()
    {
        var edges = new Dictionary<string, IReadOnlySet<string>>
        {
            ["Host"] = new HashSet<string> { "Api", "Model" },
            ["Api"] = new HashSet<string> { "Model", "State" },
            ["State"] = new HashSet<string> { "Model", "Api" },
            ["Model"] = new HashSet<string> { "Model" },
        };

        DependencyCycles.Find(edges).Should().ContainSingle().Which.Should().Equal("Api", "State", "Api");
    }
}
