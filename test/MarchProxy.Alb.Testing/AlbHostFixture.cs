namespace MarchProxy.Alb.Testing;

/// <summary>
/// A test class whose every test runs against its own <see cref="AlbTestHost"/> in a fresh temporary
/// folder. NUnit runs this SetUp before a derived class's and this TearDown after it, so a derived
/// SetUp may seed the host and a derived TearDown may dispose what it made from it.
/// </summary>
public abstract class AlbHostFixture : AlbHostFixtureBase
{
    [SetUp]
    public Task StartHostAsync() => StartAsync();

    [TearDown]
    public Task StopHostAsync() => StopAsync();
}
