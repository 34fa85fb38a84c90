namespace MarchProxy.Alb.Testing;

/// <summary>
/// A test class whose tests share one <see cref="AlbTestHost"/>, started before the first test and
/// stopped after the last: for tests that use their own names and relative versions, so they need
/// not pay a host start each. A derived OneTimeSetUp runs after this one and may seed the host.
/// </summary>
public abstract class SharedAlbHostFixture : AlbHostFixtureBase
{
    [OneTimeSetUp]
    public Task StartHostAsync() => StartAsync();

    [OneTimeTearDown]
    public Task StopHostAsync() => StopAsync();
}
