namespace MarchProxy.Process.Tests;

/// <summary>What an operator reads: an idle ALB with a healthy supervised Envoy says next to nothing.</summary>
public sealed class LogVolumeTests
{
    [Test]
    public async Task Idle_SupervisedEnvoy_AHandfulOfLinesWhileTheAdminApiIsPolled()
    {
        await using var scenario = AlbScenario.Supervised();
        var alb = await scenario.StartAsync();
        await scenario.WaitReadyAsync();
        var readyPolls = ReadyPolls(scenario);
        var before = alb.Output.Count;

        // Twenty admin polls (every 500 ms: ten seconds) of a healthy, idle Envoy.
        await Poll.UntilAsync(() => ReadyPolls(scenario) >= readyPolls + 20, "twenty more admin polls", TimeSpan.FromSeconds(30));

        var lines = alb.Output.Skip(before).ToList();
        TestContext.Out.WriteLine($"{lines.Count} lines during 20 admin polls");
        lines.Should().HaveCountLessThanOrEqualTo(2, "an idle ALB logs a handful of lines a minute, not one per poll:\n" + string.Join('\n', lines));
        lines.Should().NotContain(l => l.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));
    }

    private static int ReadyPolls(AlbScenario scenario) => scenario.ReadCallLog().Count(c => c.EndsWith("GET /ready", StringComparison.Ordinal));
}
