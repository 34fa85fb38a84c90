namespace MarchProxy.Supervisor.Tests;

[TestFixture]
public sealed class EnvoyOptionsValidatorTests
{
    private readonly EnvoyOptionsValidator _validator = new();

    [Test]
    public void Validate_Defaults_Succeed()
    {
        _validator.Validate(null, new EnvoyOptions()).Succeeded.Should().BeTrue();
    }

    [Test]
    public void Validate_ManyProblems_ReportsEveryOne()
    {
        var options = new EnvoyOptions
        {
            AdminPort = 18000,
            XdsPort = 18000,
            AdminAddress = "0.0.0.0",
            LogLevel = "loud",
            Concurrency = 0,
            DrainTime = TimeSpan.FromSeconds(60),
            ParentShutdownTime = TimeSpan.FromSeconds(30),
            DrainTimeout = TimeSpan.Zero,
            RestartBackoffMax = TimeSpan.FromMilliseconds(10),
            CrashLoopThreshold = 0,
            ExtraArgs = ["--use-dynamic-base-id", "--base-id=3"],
        };

        var result = _validator.Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(10);
        result.FailureMessage.Should().Contain("AdminPort and XdsPort must differ")
            .And.Contain("loopback")
            .And.Contain("LogLevel")
            .And.Contain("Concurrency")
            .And.Contain("ParentShutdownTime")
            .And.Contain("DrainTimeout")
            .And.Contain("RestartBackoffMax")
            .And.Contain("CrashLoopThreshold")
            .And.Contain("'--use-dynamic-base-id'")
            .And.Contain("'--base-id'");
    }

    [Test]
    public void Validate_Ipv6Loopback_Accepted()
    {
        _validator.Validate(null, new EnvoyOptions { AdminAddress = "::1" }).Succeeded.Should().BeTrue();
    }
}
