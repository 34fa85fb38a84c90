using System.Text.Json;

namespace MarchProxy.Config.Tests;

/// <summary>The reading rules the ALB's standalone loader and the tool's apply -f share.</summary>
public sealed class ConfigFileJsonTests
{
    [Test]
    public void Deserialize_CommentsTrailingCommasAndAnyCase_ReadsTheFile()
    {
        const string Json = """
            // the ALB's own file
            { "proxy": { "routes": { "api": { "match": { "path": "/api/{**catch-all}" }, "clusterid": "api", "timeout": "1500ms", }, },
              "Clusters": { "api": { "Destinations": { "a": { "Address": "10.0.0.5:8080", "Weight": 3 } } } } } }
            """;

        var file = JsonSerializer.Deserialize<ConfigFile>(Json, ConfigFileJson.Options)!;

        var route = file.Proxy!.Routes!["api"];
        route.Match!.Path.Should().Be("/api/{**catch-all}");
        route.ClusterId.Should().Be("api");
        route.Timeout.Should().Be(TimeSpan.FromMilliseconds(1500));
        file.Proxy.Clusters!["api"].Destinations!["a"].Weight.Should().Be(3);
    }

    [TestCase("""{ "Proxy": { "Routes": { "r": { "ClusterId": "a" }, "r": { "ClusterId": "b" } } } }""", "Proxy:Routes", "given more than once")]
    [TestCase("""{ "Proxy": { "Rotes": {} } }""", "Proxy", "unknown setting 'Rotes'")]
    [TestCase("""{ "Proxy": { "Routes": { "r": { "HashPolicy": [ { "Heder": "x" } ] } } } }""", "Proxy:Routes:r:HashPolicy", "unknown setting 'Heder'")]
    [TestCase("""{ "Proxy": { "Listeners": { "main": { "Prot": 10000 } } } }""", "Proxy:Listeners:main", "unknown setting 'Prot'")]
    [TestCase("""{ "Proxy": { "Routes": { "r": { "Timeout": "soon" } } } }""", "Proxy:Routes:r:Timeout", "must be a duration")]
    [TestCase("""{ "Proxy": { "Clusters": { "c": { "Http2": "yes" } } } }""", "Proxy:Clusters:c:Http2", "expected true or false")]
    public void Deserialize_BadFile_NamesThePathAndTheProblem(string json, string path, string problem)
    {
        var act = () => JsonSerializer.Deserialize<ConfigFile>(json, ConfigFileJson.Options);

        var error = act.Should().Throw<JsonException>().Which;
        ConfigFileJson.ConfigurationPath(error.Path).Should().StartWith(path);
        JsonErrors.Describe(error).Should().StartWith("line 1, column ").And.Contain(problem).And.NotContain("System.");
    }

    [TestCase(null, "(file)")]
    [TestCase("$", "(file)")]
    [TestCase("$.Proxy.Routes.api.Timeout", "Proxy:Routes:api:Timeout")]
    [TestCase("$.Proxy.Routes['my route'].Match", "Proxy:Routes:my route:Match")]
    public void ConfigurationPath_JsonPath_BecomesTheConfigurationPath(string? jsonPath, string expected) =>
        ConfigFileJson.ConfigurationPath(jsonPath).Should().Be(expected);

    [Test]
    public void HasOneKey_ExactlyOneOfHeaderCookieAndSourceIp_IsTrue()
    {
        FileHashPolicy.HasOneKey(new FileHashPolicy { Header = "x-user" }).Should().BeTrue();
        FileHashPolicy.HasOneKey(new FileHashPolicy { Cookie = "sid", CookieTtl = TimeSpan.FromHours(1) }).Should().BeTrue();
        FileHashPolicy.HasOneKey(new FileHashPolicy { SourceIp = true, Terminal = true }).Should().BeTrue();
    }

    [Test]
    public void HasOneKey_NoneTwoOrNull_IsFalse()
    {
        FileHashPolicy.HasOneKey(null).Should().BeFalse();
        FileHashPolicy.HasOneKey(new FileHashPolicy { Terminal = true }).Should().BeFalse();
        FileHashPolicy.HasOneKey(new FileHashPolicy { Header = "a", Cookie = "b" }).Should().BeFalse();
        FileHashPolicy.HasOneKey(new FileHashPolicy { Header = "a", SourceIp = true }).Should().BeFalse();
    }
}
