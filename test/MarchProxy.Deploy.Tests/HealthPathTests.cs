using MarchProxy.Alb.Configuration;
using MarchProxy.Deploy.Tests.Infrastructure;

namespace MarchProxy.Deploy.Tests;

/// <summary>The health paths the deployments probe are served by the ALB on its health port.</summary>
public sealed class HealthPathTests : AlbHostFixture
{
    [TestCase("/healthz")]
    [TestCase("/readyz")]
    public async Task ProbedPath_IsServedOnTheHealthPort(string path)
    {
        var deployed = File.ReadAllText(ProjectFacts.Deploy("kubernetes", "deployment.yaml"));
        deployed.Should().Contain($"path: {path}");
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(Host.Address(EndpointRole.Health), path)).DefaultTimeout();

        ((int)response.StatusCode).Should().BeOneOf(200, 503);
        (await response.Content.ReadAsStringAsync()).Should().StartWith("{");
    }
}
