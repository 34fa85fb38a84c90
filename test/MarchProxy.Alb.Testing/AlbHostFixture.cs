using MarchProxy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MarchProxy.Alb.Testing;

/// <summary>
/// A test class whose every test runs against its own <see cref="AlbTestHost"/> in a fresh temporary
/// folder. NUnit runs this SetUp before a derived class's and this TearDown after it, so a derived
/// SetUp may seed the host and a derived TearDown may dispose what it made from it.
/// </summary>
public abstract class AlbHostFixture
{
    protected TempDirectory Dir { get; private set; } = null!;

    protected AlbTestHost Host { get; private set; } = null!;

    /// <summary>The standalone config file the host starts from; null writes none.</summary>
    protected virtual string? ConfigJson => AlbTestHost.EmptyConfig;

    /// <summary>Settings over <see cref="AlbTestHost"/>'s defaults.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    /// <summary>Registrations after the product's (to replace a service or add a log provider).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    [SetUp]
    public async Task StartHostAsync()
    {
        Dir = new TempDirectory();
        Host = await AlbTestHost.StartAsync(Dir, ConfigJson, Settings, ConfigureServices);
    }

    [TearDown]
    public async Task StopHostAsync()
    {
        await Host.DisposeAsync();
        Dir.Dispose();
    }
}
