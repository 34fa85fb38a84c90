using System.Text.Json;
using MarchProxy.Load.Hosting;

namespace MarchProxy.Load.Tests;

[TestFixture]
public sealed class SeedConfigTests
{
    [Test]
    public void Build_ProbeOnly_OneRouteSplitOverTwoClusters()
    {
        using var json = JsonDocument.Parse(SeedConfig.Build(0, 0));
        var proxy = json.RootElement.GetProperty("Proxy");

        proxy.GetProperty("Routes").EnumerateObject().Select(r => r.Name).Should().Equal(SeedConfig.ProbeRoute);
        var backends = proxy.GetProperty("Routes").GetProperty(SeedConfig.ProbeRoute).GetProperty("Backends");
        backends.GetProperty(SeedConfig.ProbeBlue).GetInt32().Should().Be(SeedConfig.InitialBlue);
        backends.GetProperty(SeedConfig.ProbeGreen).GetInt32().Should().Be(SeedConfig.InitialGreen);
        proxy.GetProperty("Clusters").EnumerateObject().Should().HaveCount(2);
    }

    [Test]
    public void Build_WithFiller_HasEveryRouteAndCluster()
    {
        using var json = JsonDocument.Parse(SeedConfig.Build(250, 30));
        var proxy = json.RootElement.GetProperty("Proxy");

        proxy.GetProperty("Routes").EnumerateObject().Should().HaveCount(251);
        proxy.GetProperty("Clusters").EnumerateObject().Should().HaveCount(32);
        proxy.GetProperty("Routes").EnumerateObject().Count(r => r.Value.TryGetProperty("Backends", out _)).Should().Be(1 + 25);
    }

    [Test]
    public void Build_FillerRoutesWithoutTwoClusters_Throws()
    {
        var act = () => SeedConfig.Build(10, 1);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("fillerClusters");
    }
}
