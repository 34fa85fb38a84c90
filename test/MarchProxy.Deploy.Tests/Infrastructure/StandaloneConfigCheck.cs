using MarchProxy.Alb.State;
using MarchProxy.Alb.State.Standalone;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Deploy.Tests.Infrastructure;

/// <summary>Loads a shipped alb.json through the ALB's own standalone loader, so it is valid exactly as the ALB reads it.</summary>
public static class StandaloneConfigCheck
{
    public static DesiredState Load(string json)
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("alb.json");
        File.WriteAllText(path, json);
        var result = new StandaloneConfigLoader(path, [], ProjectFacts.DefaultPort("Envoy", "ListenPort")).Load();
        result.Status.Should().Be(StandaloneLoadStatus.Loaded, result.Message);
        return result.State!;
    }
}
