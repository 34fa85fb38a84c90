using MarchProxy.Supervisor.Envoy;

namespace MarchProxy.Supervisor.Tests.Envoy;

[TestFixture]
public sealed class EnvoyBinaryLocatorTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("marchproxy-locator-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Locate_NotConfigured_FindsEnvoyOnPath()
    {
        var envoy = Executable("envoy");

        var found = EnvoyBinaryLocator.Locate(null, $"/nonexistent{Path.PathSeparator}{_directory}", out var reason);

        found.Should().Be(envoy);
        reason.Should().BeEmpty();
    }

    [Test]
    public void Locate_NotExecutable_Skipped()
    {
        File.WriteAllText(Path.Combine(_directory, "envoy"), "not executable");

        EnvoyBinaryLocator.Locate(null, _directory, out var reason).Should().BeNull();
        reason.Should().Contain("no 'envoy' binary on PATH");
    }

    [Test]
    public void Locate_ConfiguredPath_UsedAsIs()
    {
        var custom = Executable("my-envoy");

        EnvoyBinaryLocator.Locate(custom, pathVariable: null, out _).Should().Be(custom);
        EnvoyBinaryLocator.Locate(custom + ".missing", pathVariable: null, out var reason).Should().BeNull();
        reason.Should().Contain("my-envoy.missing");
    }

    private string Executable(string name)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, "#!/bin/sh\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return path;
    }
}
