using Grpc.Core;
using Grpc.Net.Client;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Hosting;
using MarchProxy.Api.V1;
using MarchProxy.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MarchProxy.Alb.Testing;

/// <summary>
/// The real ALB, composed exactly as Program.cs composes it (AlbHost), on 127.0.0.1 with every
/// port 0, Envoy disabled, its own DATA_DIR and standalone config file.
/// </summary>
public sealed class AlbTestHost : IAsyncDisposable
{
    /// <summary>An empty standalone config: the host starts with no routes and no clusters.</summary>
    public const string EmptyConfig = """{ "Proxy": {} }""";

    private readonly List<GrpcChannel> _channels = [];

    private AlbTestHost(WebApplication app, string dataDir, string configFile)
    {
        App = app;
        DataDir = dataDir;
        ConfigFile = configFile;
        Endpoints = app.Services.GetRequiredService<ListenEndpoints>();
        Client = new ModuleService.ModuleServiceClient(CreateChannel(EndpointRole.Api));
    }

    public WebApplication App { get; }

    public string DataDir { get; }

    public string ConfigFile { get; }

    public ListenEndpoints Endpoints { get; }

    public ModuleService.ModuleServiceClient Client { get; }

    public IServiceProvider Services => App.Services;

    public int Port(EndpointRole role) => Endpoints.GetPort(role);

    public Uri Address(EndpointRole role) => new($"http://127.0.0.1:{Port(role)}");

    /// <summary>Builds (without starting) a host; throws what the composition throws.</summary>
    public static WebApplication Build(
        string dataDir,
        string configFile,
        IDictionary<string, string?>? settings = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Alb:GrpcBind"] = "127.0.0.1",
            ["Alb:GrpcPort"] = "0",
            ["Alb:XdsPort"] = "0",
            ["Alb:HealthBind"] = "127.0.0.1",
            ["Alb:HealthPort"] = "0",
            ["Alb:MetricsBind"] = "127.0.0.1",
            ["Alb:MetricsPort"] = "0",
            ["Alb:DataDir"] = dataDir,
            ["Alb:ConfigFile"] = configFile,
            ["Alb:LogFormat"] = "text",
            ["Envoy:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            // null removes a default, so the environment or appsettings decide.
            if (value is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = value;
            }
        }

        var builder = AlbHost.CreateBuilder([], environment ?? new Dictionary<string, string?>(), c => c.AddInMemoryCollection(values));
        AlbHost.AddServices(builder.Services);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        AlbHost.MapEndpoints(app);
        return app;
    }

    public static async Task<AlbTestHost> StartAsync(
        TempDirectory directory,
        string? configJson = EmptyConfig,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var dataDir = directory.Combine("data");
        var configFile = directory.Combine("alb.json");
        if (configJson is not null)
        {
            await File.WriteAllTextAsync(configFile, configJson);
        }

        var app = Build(dataDir, configFile, settings, services: services);
        await app.StartAsync().DefaultTimeout();
        return new AlbTestHost(app, dataDir, configFile);
    }

    public GrpcChannel CreateChannel(EndpointRole role)
    {
        var channel = GrpcChannel.ForAddress(Address(role));
        _channels.Add(channel);
        return channel;
    }

    public ModuleService.ModuleServiceClient CreateClient(string apiKey)
    {
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {apiKey}");
            return Task.CompletedTask;
        });
        var channel = GrpcChannel.ForAddress(Address(EndpointRole.Api), new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = true,
        });
        _channels.Add(channel);
        return new ModuleService.ModuleServiceClient(channel);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        await App.StopAsync().DefaultTimeout();
        await App.DisposeAsync();
    }
}
