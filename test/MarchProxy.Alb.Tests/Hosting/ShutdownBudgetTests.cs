using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Hosting;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Tests.Hosting;

public sealed class ShutdownBudgetTests
{
    [Test]
    public void From_Defaults_FitsTheThirtySecondBudgetExactly()
    {
        var budget = ShutdownBudget.From(new AlbOptions(), new EnvoyOptions());

        budget.Total.Should().Be(TimeSpan.FromSeconds(30));
        budget.Drain.Should().Be(TimeSpan.FromSeconds(20));
        budget.Escalation.Should().Be(TimeSpan.FromSeconds(8), "the /quitquitquit call (2 s) and three 2 s grace periods");
        budget.Required.Should().Be(TimeSpan.FromSeconds(30));
        budget.Problem().Should().BeNull();
    }

    [Test]
    public void Problem_DrainDoesNotFit_OneLineNamingBothSettingsAndWhatWouldFit()
    {
        var budget = ShutdownBudget.From(new AlbOptions { ShutdownTimeout = TimeSpan.FromSeconds(30) }, new EnvoyOptions { DrainTimeout = TimeSpan.FromSeconds(25) });

        var problem = budget.Problem();

        problem.Should().NotBeNull();
        problem.Should().Contain("DRAIN_TIMEOUT (Envoy:DrainTimeout) 25s").And.Contain("SHUTDOWN_TIMEOUT (Alb:ShutdownTimeout) 30s")
            .And.Contain("at least 35s").And.Contain("at most 20s");
        problem.Should().NotContain("\n");
    }

    [Test]
    public void Problem_EnvoyDisabled_OnlyTheServersNeedToFit()
    {
        var budget = ShutdownBudget.From(new AlbOptions { ShutdownTimeout = TimeSpan.FromSeconds(5) }, new EnvoyOptions { Enabled = false });

        budget.Problem().Should().BeNull("DRAIN_TIMEOUT does not apply without a supervised Envoy");
    }

    [Test]
    public void Problem_EnvoyDisabledBudgetBelowTheServersReserve_NamesOnlyShutdownTimeout()
    {
        var budget = ShutdownBudget.From(new AlbOptions { ShutdownTimeout = TimeSpan.FromSeconds(1) }, new EnvoyOptions { Enabled = false });

        var problem = budget.Problem();

        problem.Should().Contain("SHUTDOWN_TIMEOUT (Alb:ShutdownTimeout) 1s").And.Contain("at least 2s");
        problem.Should().NotContain("DRAIN_TIMEOUT", "the drain does not apply without a supervised Envoy");
    }

    [Test]
    public void EnvoyPhase_LeavesTheServersReserve()
    {
        var budget = ShutdownBudget.From(new AlbOptions { ShutdownTimeout = TimeSpan.FromSeconds(60) }, new EnvoyOptions());

        budget.EnvoyPhase.Should().Be(TimeSpan.FromSeconds(60) - ShutdownBudget.ServersReserve);
    }
}
