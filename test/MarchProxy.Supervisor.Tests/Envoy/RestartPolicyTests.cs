using MarchProxy.Supervisor.Envoy;

namespace MarchProxy.Supervisor.Tests.Envoy;

[TestFixture]
public sealed class RestartPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void RecordCrash_CrashesInARow_BackoffDoublesUpToTheCap()
    {
        var policy = new RestartPolicy(new EnvoyOptions { CrashLoopThreshold = 100 });
        var delays = new List<double>();
        var now = T0;
        for (var i = 0; i < 8; i++)
        {
            var decision = policy.RecordCrash(now, now.AddMilliseconds(10));
            delays.Add(decision.Delay.TotalSeconds);
            now += decision.Delay;
        }

        delays.Should().Equal(1, 2, 4, 8, 16, 30, 30, 30);
    }

    [Test]
    public void RecordCrash_SixthCrashWithinSixtySeconds_IsACrashLoopRetriedAtTheCap()
    {
        var policy = new RestartPolicy(new EnvoyOptions());
        var decisions = Enumerable.Range(0, 6).Select(i => policy.RecordCrash(T0.AddSeconds(i * 5), T0.AddSeconds((i * 5) + 1))).ToList();

        decisions.Take(5).Should().OnlyContain(d => !d.IsCrashLoop);
        decisions[5].IsCrashLoop.Should().BeTrue();
        decisions[5].Delay.Should().Be(TimeSpan.FromSeconds(30));
        decisions[5].CrashesInWindow.Should().Be(6);
    }

    [Test]
    public void RecordCrash_CrashesSpreadOverMoreThanTheWindow_NoCrashLoop()
    {
        var policy = new RestartPolicy(new EnvoyOptions());

        var decisions = Enumerable.Range(0, 10).Select(i => policy.RecordCrash(T0.AddSeconds(i * 20), T0.AddSeconds((i * 20) + 1))).ToList();

        decisions.Should().OnlyContain(d => !d.IsCrashLoop && d.CrashesInWindow <= 4);
    }

    [Test]
    public void RecordCrash_AfterAStableRun_BackoffStartsAgain()
    {
        var policy = new RestartPolicy(new EnvoyOptions());
        policy.RecordCrash(T0, T0.AddSeconds(1));
        policy.RecordCrash(T0.AddSeconds(2), T0.AddSeconds(3)).Delay.Should().Be(TimeSpan.FromSeconds(2));

        var afterStableRun = policy.RecordCrash(T0.AddSeconds(5), T0.AddSeconds(70));

        afterStableRun.Delay.Should().Be(TimeSpan.FromSeconds(1));
        afterStableRun.CrashesInARow.Should().Be(1);
    }
}
