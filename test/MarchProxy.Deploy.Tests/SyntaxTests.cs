using System.Text.Json;
using MarchProxy.Deploy.Tests.Infrastructure;

namespace MarchProxy.Deploy.Tests;

/// <summary>Every YAML and JSON file under deploy/ and examples/ parses.</summary>
public sealed class SyntaxTests
{
    private static IEnumerable<string> Files(params string[] extensions) =>
        new[] { "deploy", "examples" }
            .SelectMany(folder => Directory.EnumerateFiles(RepositoryRoot.Combine(folder), "*", SearchOption.AllDirectories))
            .Where(f => extensions.Contains(Path.GetExtension(f)))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    [Test]
    public void YamlFiles_All_Parse()
    {
        var files = Files(".yaml", ".yml").ToList();

        files.Should().HaveCountGreaterThan(10);
        foreach (var file in files)
        {
            FluentActions.Invoking(() => Yaml.LoadAll(file)).Should().NotThrow(file);
            Yaml.LoadAll(file).Should().NotBeEmpty(file);
        }
    }

    [Test]
    public void JsonFiles_All_Parse()
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var files = Files(".json").ToList();

        files.Should().Contain(f => f.EndsWith("grafana-dashboard.json", StringComparison.Ordinal));
        foreach (var file in files)
        {
            FluentActions.Invoking(() => JsonDocument.Parse(File.ReadAllText(file), options).Dispose()).Should().NotThrow(file);
        }
    }
}
