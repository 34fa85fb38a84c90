using System.Text.Json;
using MarchProxy.Api.V1;
using MarchProxy.Cli.Tests.Infrastructure;

namespace MarchProxy.Cli.Tests.Commands;

/// <summary>apply and diff against the real ALB.</summary>
public sealed class ApplyCommandTests : AlbHostFixture
{
    private const string Shop = """
        Proxy:
          Clusters:
            blue: { Destinations: { b1: { Address: "10.0.2.10:8080" } } }
            green: { Destinations: { g1: { Address: "http://10.0.3.10:8080" } }, ConnectTimeout: 2s }
          Routes:
            checkout:
              Match: { ExactPath: /checkout, Hosts: [shop.example.com] }
              Backends: { blue: 90, green: 10 }
        """;

    private CliHarness _cli = null!;

    [SetUp]
    public async Task SetUp()
    {
        _cli = CliHarness.For(Host, Dir.Path);
        await File.WriteAllTextAsync(Dir.Combine("shop.yaml"), Shop);
    }

    [Test]
    public async Task Diff_NewFile_ExitsDifferencesAndListsEveryCreation()
    {
        var result = await _cli.RunAsync("diff", "-f", "shop.yaml");

        result.ExitCode.Should().Be(ExitCodes.Differences, result.ToString());
        result.Output.Should().Contain("+ cluster blue").And.Contain("+ cluster green").And.Contain("+ route checkout")
            .And.Contain("3 to create, 0 to update, 0 to delete, 0 unchanged");
        (await VersionAsync()).Should().Be(1);
    }

    [Test]
    public async Task ApplyDryRun_ValidFile_ValidatesEveryChangeAndChangesNothing()
    {
        var result = await _cli.RunAsync("apply", "-f", "shop.yaml", "--dry-run", "-o", "json");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        json.RootElement.GetProperty("mode").GetString().Should().Be("dry-run");
        var changes = json.RootElement.GetProperty("changes").EnumerateArray().ToList();
        changes.Should().HaveCount(3).And.OnlyContain(c => c.GetProperty("result").GetProperty("succeeded").GetBoolean());
        (await VersionAsync()).Should().Be(1);
    }

    [Test]
    public async Task Apply_ThenDiff_LeavesNothingToChangeAndReapplyMovesNoVersion()
    {
        var applied = await _cli.RunAsync("apply", "-f", "shop.yaml", "--wait");
        var version = await VersionAsync();
        var diff = await _cli.RunAsync("diff", "-f", "shop.yaml");
        var again = await _cli.RunAsync("apply", "-f", "shop.yaml");

        applied.ExitCode.Should().Be(ExitCodes.Ok, applied.ToString());
        applied.Output.Should().Contain("3 of 3 change(s) applied");
        version.Should().Be(2, "the file's changes go in one batch");
        diff.ExitCode.Should().Be(ExitCodes.Ok, diff.ToString());
        diff.Output.Should().Contain("No changes.");
        again.ExitCode.Should().Be(ExitCodes.Ok, again.ToString());
        (await VersionAsync()).Should().Be(2);
        var route = (await Host.Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Single();
        route.Weights.Select(w => (w.BackendName, w.Weight)).Should().Equal(("blue", 90), ("green", 10));
    }

    [Test]
    public async Task Diff_ChangedField_ShowsBeforeAndAfter()
    {
        (await _cli.RunAsync("apply", "-f", "shop.yaml")).ExitCode.Should().Be(ExitCodes.Ok);
        await File.WriteAllTextAsync(Dir.Combine("shop.yaml"), Shop.Replace("blue: 90, green: 10", "blue: 50, green: 50", StringComparison.Ordinal));

        var result = await _cli.RunAsync("diff", "-f", "shop.yaml");

        result.ExitCode.Should().Be(ExitCodes.Differences, result.ToString());
        result.Output.Should().Contain("~ route checkout").And.Contain("\"weight\": 90").And.Contain("→").And.Contain("1 to update");
    }

    [Test]
    public async Task Apply_Prune_DeletesWhatTheFileDoesNotName()
    {
        (await _cli.RunAsync("cluster", "upsert", "old", "--endpoint", "10.0.0.1:80")).ExitCode.Should().Be(ExitCodes.Ok);
        (await _cli.RunAsync("route", "upsert", "old", "--cluster", "old")).ExitCode.Should().Be(ExitCodes.Ok);

        var result = await _cli.RunAsync("apply", "-f", "shop.yaml", "--prune");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        result.Output.Should().Contain("- route old").And.Contain("- cluster old");
        (await Host.Client.GetClustersAsync(new ClustersRequest()).ResponseAsync.DefaultTimeout()).Clusters.Select(c => c.Name).Should().BeEquivalentTo("blue", "green");
    }

    [Test]
    public async Task Apply_FileTheApiRefuses_ChangesNothingAndNamesFileAndFieldPaths()
    {
        await File.WriteAllTextAsync(Dir.Combine("bad.json"), """
            { "Proxy": { "Clusters": { "ok": { "Destinations": { "a": { "Address": "10.0.0.1:80" } } } },
                         "Routes": { "bad": { "Match": { "Path": "/x", "Hosts": ["not a host"] }, "ClusterId": "ok" } } } }
            """);

        var result = await _cli.RunAsync("apply", "-f", "bad.json");

        result.ExitCode.Should().Be(ExitCodes.InvalidArgument, result.ToString());
        result.Output.Should().Contain("Proxy:Routes:bad").And.Contain("route.hosts[0]");
        result.Error.Should().Contain("nothing was changed");
        (await VersionAsync()).Should().Be(1);
    }

    [Test]
    public async Task Apply_ClustersRoutesAndPrunedDeletions_AppliedAsOneVersion()
    {
        (await _cli.RunAsync("cluster", "upsert", "old", "--endpoint", "10.0.0.1:80")).ExitCode.Should().Be(ExitCodes.Ok);
        (await _cli.RunAsync("route", "upsert", "old", "--cluster", "old")).ExitCode.Should().Be(ExitCodes.Ok);
        var before = await VersionAsync();

        var result = await _cli.RunAsync("apply", "-f", "shop.yaml", "--prune", "-o", "json");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var versions = json.RootElement.GetProperty("changes").EnumerateArray()
            .Select(c => c.GetProperty("result").GetProperty("version").GetInt64()).ToList();
        versions.Should().HaveCount(5).And.OnlyContain(v => v == before + 1, "three creations and two deletions are one batch");
        (await VersionAsync()).Should().Be(before + 1);
    }

    [Test]
    public async Task ApplyDryRun_RouteStopsUsingAClusterThatPruneDeletes_ValidAsOneBatchAndNothingChanged()
    {
        (await _cli.RunAsync("apply", "-f", "shop.yaml")).ExitCode.Should().Be(ExitCodes.Ok);
        (await _cli.RunAsync("cluster", "upsert", "spare", "--endpoint", "10.0.0.1:80")).ExitCode.Should().Be(ExitCodes.Ok);
        await File.WriteAllTextAsync(Dir.Combine("less.yaml"), Shop.Replace("blue: 90, green: 10", "blue: 100", StringComparison.Ordinal).Replace("    green: { Destinations: { g1: { Address: \"http://10.0.3.10:8080\" } }, ConnectTimeout: 2s }\n", string.Empty, StringComparison.Ordinal));
        var before = await VersionAsync();

        var result = await _cli.RunAsync("apply", "-f", "less.yaml", "--prune", "--dry-run", "-o", "json");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        var changes = json.RootElement.GetProperty("changes").EnumerateArray()
            .Where(c => c.GetProperty("action").GetString() != "unchanged")
            .Select(c => $"{c.GetProperty("action").GetString()} {c.GetProperty("kind").GetString()} {c.GetProperty("name").GetString()}").ToList();
        changes.Should().Equal("update route checkout", "delete cluster green", "delete cluster spare");
        json.RootElement.GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("action").GetString() != "unchanged")
            .Should().OnlyContain(c => c.GetProperty("result").GetProperty("succeeded").GetBoolean(), "the deletion sees the route's update before it");
        (await VersionAsync()).Should().Be(before);
    }

    [Test]
    public async Task Apply_UnknownProperty_ExitsUsageWithItsPath()
    {
        await File.WriteAllTextAsync(Dir.Combine("typo.yaml"), "Proxy:\n  Routes:\n    web:\n      ClusterID: web\n      Timout: 5s\n");

        var result = await _cli.RunAsync("apply", "-f", "typo.yaml");

        result.ExitCode.Should().Be(ExitCodes.Usage, result.ToString());
        result.Error.Should().Contain("Proxy:Routes:web").And.Contain("Timout");
    }

    [Test]
    public async Task Apply_StandardInput_ReadsTheFileFromStdin()
    {
        var result = await _cli.RunAsync(["apply", "-f", "-"], Shop, CancellationToken.None);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
        (await VersionAsync()).Should().Be(2);
    }

    private async Task<long> VersionAsync() =>
        (await Host.Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout()).ConfigVersion;
}
