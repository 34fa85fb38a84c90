using MarchProxy.Alb.Hosting;

namespace MarchProxy.Alb.Tests.Hosting;

public sealed class AlbCommandLineTests
{
    private List<string[]> _runs = [];

    [SetUp]
    public void SetUp() => _runs = [];

    [Test]
    public async Task Invoke_Version_PrintsTheVersionAndDoesNotRun()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AlbCommandLine.InvokeAsync(["--version"], RunAsync, output, error).DefaultTimeout();

        exit.Should().Be(0);
        _runs.Should().BeEmpty("--version builds no host and binds nothing");
        output.ToString().Trim().Should().MatchRegex(@"^\d+\.\d+\.\d+");
        error.ToString().Should().BeEmpty();
    }

    [TestCase("--help")]
    [TestCase("-h")]
    public async Task Invoke_Help_PrintsTheSettingsAndExitCodesAndDoesNotRun(string flag)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AlbCommandLine.InvokeAsync([flag], RunAsync, output, error).DefaultTimeout();

        exit.Should().Be(0);
        _runs.Should().BeEmpty();
        output.ToString().Should().Contain("--version").And.Contain("SHUTDOWN_TIMEOUT").And.Contain("DRAIN_TIMEOUT")
            .And.Contain("Exit codes: 0").And.Contain("2 bad settings");
    }

    [Test]
    public async Task Invoke_ConfigurationOverrides_RunsTheHostWithThemInOrder()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AlbCommandLine.InvokeAsync(["--Alb:GrpcPort=50052", "--Alb:ModuleId", "alb-9"], RunAsync, output, error).DefaultTimeout();

        exit.Should().Be(7, "the run's exit code is the process's");
        _runs.Should().ContainSingle().Which.Should().Equal("--Alb:GrpcPort=50052", "--Alb:ModuleId", "alb-9");
    }

    [Test]
    public async Task Invoke_HelpAndVersionTogether_ExitCodeTwoWithTheParserMessageAndDoesNotRun()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AlbCommandLine.InvokeAsync(["--help", "--version"], RunAsync, output, error).DefaultTimeout();

        exit.Should().Be(2);
        _runs.Should().BeEmpty();
        error.ToString().Should().StartWith("MarchProxy ALB: ").And.Contain("--version");
    }

    private Task<int> RunAsync(string[] args)
    {
        _runs.Add(args);
        return Task.FromResult(7);
    }
}
