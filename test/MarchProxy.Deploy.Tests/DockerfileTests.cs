using System.Xml.Linq;
using MarchProxy.Deploy.Tests.Infrastructure;

namespace MarchProxy.Deploy.Tests;

/// <summary>deploy/Dockerfile and its ignore file, checked against the repository.</summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load(ProjectFacts.Deploy("Dockerfile"));
    private static readonly DockerIgnore Ignore = DockerIgnore.Load(ProjectFacts.Deploy("Dockerfile.dockerignore"));

    [Test]
    public void Stages_BuildEnvoyRuntime_EnvoyComesFromTheOfficialImage()
    {
        var args = File.All("ARG").Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a.Length > 1 ? a[1] : string.Empty);
        var froms = File.All("FROM").ToList();

        froms.Should().HaveCount(3);
        args["ENVOY_IMAGE"].Should().StartWith("envoyproxy/envoy:");
        froms.Should().Contain("${ENVOY_IMAGE} AS envoy");
        File.All("COPY", File.LastStage).Should().Contain("--from=envoy /usr/local/bin/envoy /usr/local/bin/envoy");
        File.Environment(File.LastStage)["ENVOY_BINARY"].Should().Be("/usr/local/bin/envoy");
    }

    [Test]
    public void Runtime_NonRootUserStopSignalAndHealthCheck()
    {
        var user = File.All("USER", File.LastStage).Single();
        var health = File.All("HEALTHCHECK", File.LastStage).Single();

        user.Should().Be("$APP_UID", "the .NET image's non-root user (UID 1654)");
        File.All("STOPSIGNAL", File.LastStage).Single().Should().Be("SIGTERM");
        health.Should().Contain("CMD [\"marchproxy\", \"health\"]");
        File.All("COPY", File.LastStage).Should().Contain("--chmod=0755 deploy/docker/marchproxy /usr/local/bin/marchproxy");
        System.IO.File.ReadAllText(ProjectFacts.Deploy("docker", "marchproxy")).Should().Contain("/opt/marchproxy-cli/MarchProxy.Cli.dll");
        File.All("COPY", File.LastStage).Should().Contain("--from=build /out/cli /opt/marchproxy-cli");
        File.All("RUN", File.LastStage).Single().Should().Contain("chown \"$APP_UID:$APP_UID\" /var/lib/marchproxy");
    }

    [Test]
    public void Runtime_EnvironmentAndPorts_AreTheAlbs()
    {
        var environment = File.Environment(File.LastStage);
        var exposed = File.All("EXPOSE", File.LastStage).SelectMany(e => e.Split(' ')).Select(int.Parse).ToList();

        environment.Keys.Should().OnlyContain(name => ProjectFacts.IsKnownVariable(name));
        environment["DATA_DIR"].Should().Be("/var/lib/marchproxy");
        File.All("VOLUME", File.LastStage).Single().Should().Contain("/var/lib/marchproxy");
        ProjectFacts.ShutdownTimeout(environment["SHUTDOWN_TIMEOUT"]).Should().Be(TimeSpan.FromSeconds(30));
        exposed.Should().BeEquivalentTo(new[]
        {
            ProjectFacts.DefaultPort("Alb", "GrpcPort"),
            ProjectFacts.DefaultPort("Alb", "HealthPort"),
            ProjectFacts.DefaultPort("Alb", "MetricsPort"),
            ProjectFacts.DefaultPort("Envoy", "ListenPort"),
        });
    }

    [Test]
    public void Build_EveryCopySourceExistsAndIsInTheContext()
    {
        var sources = File.Instructions
            .Where(i => i.Instruction == "COPY" && !i.Arguments.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            .ToList();

        sources.Should().NotBeEmpty();
        foreach (var source in sources)
        {
            var path = RepositoryRoot.Combine(source.TrimEnd('/'));
            (System.IO.File.Exists(path) || Directory.Exists(path)).Should().BeTrue($"COPY {source} exists");
            Ignore.Includes(source.TrimEnd('/')).Should().BeTrue($"COPY {source} is in the build context");
        }
    }

    [Test]
    public void Build_RestoreLayer_CopiesEveryProjectThePublishedOnesReference()
    {
        var copied = File.All("COPY", 0).Select(c => c.Split(' ')[0]).Where(s => s.EndsWith(".csproj", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var published = File.All("RUN", 0).SelectMany(r => r.Split(' ')).Where(w => w.EndsWith(".csproj", StringComparison.Ordinal)).Distinct().ToList();

        published.Should().BeEquivalentTo("src/MarchProxy.Alb/MarchProxy.Alb.csproj", "src/MarchProxy.Cli/MarchProxy.Cli.csproj");
        foreach (var project in published)
        {
            AddWithReferences(project, needed);
        }

        copied.Should().BeEquivalentTo(needed);
    }

    [TestCase("data/state.json")]
    [TestCase("src/MarchProxy.Alb/data/state.json")]
    [TestCase("src/MarchProxy.Alb/bin/Release/net10.0/MarchProxy.Alb.dll")]
    [TestCase("src/MarchProxy.Cli/obj/project.assets.json")]
    [TestCase("artifacts/publish/MarchProxy.Alb.dll")]
    [TestCase("test/interop/node_modules/x/index.js")]
    [TestCase("src/node_modules/x/index.js")]
    [TestCase("test/MarchProxy.Alb.Tests/Api/ApiKeyTests.cs")]
    [TestCase(".git/HEAD")]
    public void Ignore_LocalStateAndBuildOutput_StayOutOfTheContext(string path) =>
        Ignore.Includes(path).Should().BeFalse();

    [TestCase("src/MarchProxy.Alb/Program.cs")]
    [TestCase("protos/marchproxy/module_service.proto")]
    [TestCase("config/alb.json")]
    [TestCase("Directory.Packages.props")]
    [TestCase(".editorconfig")]
    [TestCase("deploy/docker/marchproxy")]
    public void Ignore_BuildInputs_AreInTheContext(string path) =>
        Ignore.Includes(path).Should().BeTrue();

    private static void AddWithReferences(string project, HashSet<string> needed)
    {
        if (!needed.Add(project))
        {
            return;
        }

        var directory = Path.GetDirectoryName(project)!;
        foreach (var reference in XDocument.Load(RepositoryRoot.Combine(project)).Descendants("ProjectReference"))
        {
            var full = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, directory, reference.Attribute("Include")!.Value));
            AddWithReferences(Path.GetRelativePath(RepositoryRoot.Path, full).Replace('\\', '/'), needed);
        }
    }
}
