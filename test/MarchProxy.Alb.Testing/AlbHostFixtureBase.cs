using MarchProxy.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MarchProxy.Alb.Testing;

/// <summary>
/// What <see cref="AlbHostFixture"/> (a host per test) and <see cref="SharedAlbHostFixture"/> (one host
/// per class) share: an <see cref="AlbTestHost"/> in a fresh temporary folder, and how a test class
/// shapes it. They differ only in when the host starts and stops.
/// </summary>
public abstract class AlbHostFixtureBase
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

    private protected async Task StartAsync()
    {
        Dir = new TempDirectory();
        Host = await AlbTestHost.StartAsync(Dir, ConfigJson, Settings, ConfigureServices);
    }

    private protected async Task StopAsync()
    {
        await Host.DisposeAsync();
        Dir.Dispose();
    }
}
