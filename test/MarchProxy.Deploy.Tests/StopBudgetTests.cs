using MarchProxy.Deploy.Tests.Infrastructure;

namespace MarchProxy.Deploy.Tests;

/// <summary>
/// Every form waits longer than the ALB's whole shutdown budget (SHUTDOWN_TIMEOUT as the form sets
/// it, else the appsettings.json default) before it sends SIGKILL.
/// </summary>
public sealed class StopBudgetTests
{
    [Test]
    public void Compose_StopGracePeriod_ExceedsShutdownTimeout()
    {
        var alb = Yaml.Load(ProjectFacts.Deploy("compose.yaml")).Get("services", "alb")!;
        var grace = Duration(alb.Text("stop_grace_period")!);

        grace.Should().BeGreaterThanOrEqualTo(ProjectFacts.ShutdownTimeout(alb.Text("environment", "SHUTDOWN_TIMEOUT")) + ProjectFacts.StopMargin);
    }

    [Test]
    public void Kubernetes_TerminationGracePeriod_ExceedsShutdownTimeout() =>
        TimeSpan.FromSeconds(KubernetesTests.TerminationGracePeriod)
            .Should().BeGreaterThanOrEqualTo(ProjectFacts.ShutdownTimeout(KubernetesTests.ShutdownTimeout) + ProjectFacts.StopMargin);

    [Test]
    public void Systemd_TimeoutStopSec_ExceedsShutdownTimeout() =>
        Duration(SystemdTests.Unit["TimeoutStopSec"].Single())
            .Should().BeGreaterThanOrEqualTo(ProjectFacts.ShutdownTimeout(SystemdTests.Environment.GetValueOrDefault("SHUTDOWN_TIMEOUT")) + ProjectFacts.StopMargin);

    [Test]
    public void Docker_DocumentedStopTimeout_ExceedsTheImagesShutdownTimeout()
    {
        var image = Dockerfile.Load(ProjectFacts.Deploy("Dockerfile"));
        var shutdown = ProjectFacts.ShutdownTimeout(image.Environment(image.LastStage).GetValueOrDefault("SHUTDOWN_TIMEOUT"));
        var documented = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(ProjectFacts.Deploy("Dockerfile")), @"--stop-timeout (\d+)");

        documented.Success.Should().BeTrue("a Dockerfile cannot set the stop timeout, so it says which to use");
        TimeSpan.FromSeconds(int.Parse(documented.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Should().BeGreaterThanOrEqualTo(shutdown + ProjectFacts.StopMargin);
    }

    /// <summary>"40s", "1m30s" (compose) or "40" (systemd seconds).</summary>
    private static TimeSpan Duration(string text)
    {
        var total = TimeSpan.Zero;
        foreach (System.Text.RegularExpressions.Match part in System.Text.RegularExpressions.Regex.Matches(text, @"(\d+)(ms|s|m|h)?"))
        {
            var value = int.Parse(part.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => TimeSpan.FromSeconds(value),
            };
        }

        return total;
    }
}
