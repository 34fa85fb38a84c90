using System.Text.RegularExpressions;
using MarchProxy.Api.V1;
using MarchProxy.Cli.Tests.Infrastructure;

namespace MarchProxy.Cli.Tests.Config;

/// <summary>
/// `apply -f` gives a file the meaning the ALB gives it as its standalone config: the README's complete
/// example, applied through the tool to an empty ALB, yields the routes and clusters of an ALB that
/// loaded the same file at start.
/// </summary>
public sealed partial class FileEquivalenceTests
{
    [Test]
    public async Task Apply_ReadmeCompleteExample_MatchesTheAlbLoadingTheSameFile()
    {
        var example = ReadmeCompleteExample();
        using var applied = new TempDirectory();
        using var loaded = new TempDirectory();
        await File.WriteAllTextAsync(applied.Combine("example.jsonc"), example);
        await using var viaApi = await AlbTestHost.StartAsync(applied);
        await using var viaFile = await AlbTestHost.StartAsync(loaded, example);

        var result = await CliHarness.For(viaApi, applied.Path).RunAsync("apply", "-f", "example.jsonc");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Error.Should().Contain("Listeners is not applied").And.Contain("Order is not applied");
        var expectedRoutes = (await viaFile.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var actualRoutes = (await viaApi.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var expectedClusters = (await viaFile.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var actualClusters = (await viaApi.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        expectedRoutes.Should().HaveCount(5);
        expectedClusters.Should().HaveCount(4);
        actualRoutes.Should().Equal(expectedRoutes);
        actualClusters.Should().Equal(expectedClusters);

        var diff = await CliHarness.For(viaFile, applied.Path).RunAsync("diff", "-f", "example.jsonc");
        diff.ExitCode.Should().Be(ExitCodes.Ok, diff.ToString());
    }

    private static string ReadmeCompleteExample()
    {
        var readme = File.ReadAllText(RepositoryRoot.Combine("README.md"));
        var match = CompleteExample().Match(readme);
        match.Success.Should().BeTrue("README.md's \"Standalone config\" section has a complete jsonc example");
        return match.Groups["json"].Value;
    }

    [GeneratedRegex(@"A complete example:\s*```jsonc\n(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CompleteExample();
}
