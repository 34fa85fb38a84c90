using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MarchProxy.Api.V1;
using MarchProxy.Cli.Tests.Infrastructure;

namespace MarchProxy.Cli.Tests;

/// <summary>
/// The README's ModuleService examples, read from README.md and run in order against a real ALB that
/// starts with the shipped config/alb.json, from the repository root, as a new user runs them. Each
/// line exits as its comment says ("# exit N"), or 0.
/// </summary>
public sealed partial class ReadmeExamplesTests
{
    [Test]
    public async Task ReadmeExamples_RunInOrder_EachExitsAsDocumented()
    {
        var examples = Examples();
        examples.Should().HaveCountGreaterThan(15, "the README's example block lists the tool's commands");
        using var dir = new TempDirectory();
        await using var host = await AlbTestHost.StartAsync(dir, await File.ReadAllTextAsync(RepositoryRoot.Combine("config", "alb.json")));
        var cli = CliHarness.For(host, RepositoryRoot.Path);

        foreach (var (args, expected, line) in examples)
        {
            var result = await cli.RunAsync(args);
            result.ExitCode.Should().Be(expected, $"README line `{line}`\n{result}");
        }

        var routes = (await host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Select(r => r.Name);
        routes.Should().BeEquivalentTo("alb-self", "catalog", "checkout");
    }

    [Test]
    public void ReadmeExamples_EveryCommand_UsesACommandTheToolHas()
    {
        var root = CliApplication.BuildRootCommand(new CliContext(TextWriter.Null, TextWriter.Null, _ => null, "."));

        foreach (var (args, _, line) in Examples())
        {
            root.Parse(args).Errors.Should().BeEmpty($"README line `{line}` parses");
        }
    }

    private static List<(string[] Args, int ExitCode, string Line)> Examples()
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        var block = Block().Match(readme);
        block.Success.Should().BeTrue("README.md marks its example block with readme-cli-examples");
        var examples = new List<(string[], int, string)>();
        foreach (var line in block.Groups["body"].Value.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("marchproxy ", StringComparison.Ordinal)))
        {
            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            var command = hash < 0 ? line : line[..hash];
            var exit = ExitComment().Match(hash < 0 ? string.Empty : line[hash..]);
            var code = exit.Success ? int.Parse(exit.Groups["code"].Value, CultureInfo.InvariantCulture) : ExitCodes.Ok;
            examples.Add((Words(command).Skip(1).ToArray(), code, line));
        }

        return examples;
    }

    /// <summary>Splits a shell line into words, honouring single and double quotes.</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in line)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    [GeneratedRegex(@"<!-- readme-cli-examples:start -->\s*```sh\n(?<body>.*?)```\s*<!-- readme-cli-examples:end -->", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"#\s*exit (?<code>\d+)")]
    private static partial Regex ExitComment();
}
