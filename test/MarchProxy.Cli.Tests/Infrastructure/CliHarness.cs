using System.Text;

namespace MarchProxy.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the tool in process (its real entry point, <see cref="CliApplication.RunAsync"/>) with captured
/// output and its own environment: nothing of the machine's environment leaks in.
/// </summary>
public sealed class CliHarness
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public CliHarness(string? server = null, string? workingDirectory = null)
    {
        if (server is not null)
        {
            _environment[GlobalOptions.ServerVariable] = server;
        }

        // A refused call fails fast in tests; retries have their own tests.
        _environment[GlobalOptions.RetriesVariable] = "0";
        WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory;
    }

    public string WorkingDirectory { get; }

    public static CliHarness For(AlbTestHost host, string? workingDirectory = null) =>
        new($"http://127.0.0.1:{host.Port(MarchProxy.Alb.Configuration.EndpointRole.Api)}", workingDirectory);

    public CliHarness With(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, input: null, CancellationToken.None);

    public async Task<CliResult> RunAsync(string[] args, string? input, CancellationToken cancellationToken, TextWriter? liveOutput = null)
    {
        var output = new StringWriter(new StringBuilder());
        var error = new StringWriter(new StringBuilder());
        var outWriter = liveOutput ?? output;
        var context = new CliContext(outWriter, error, name => _environment.GetValueOrDefault(name), WorkingDirectory, new StringReader(input ?? string.Empty), ansi: false, width: 200);
        var exitCode = await CliApplication.RunAsync(args, context, cancellationToken).DefaultTimeout(TimeSpan.FromSeconds(30));
        return new CliResult(exitCode, liveOutput?.ToString() ?? output.ToString(), error.ToString());
    }
}
