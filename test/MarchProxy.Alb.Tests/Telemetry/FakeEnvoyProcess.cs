using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Envoy.Config.Bootstrap.V3;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using EnvoySocketAddress = Envoy.Config.Core.V3.SocketAddress;
using UpstreamHttpProtocolOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>
/// The fake Envoy (test/MarchProxy.FakeEnvoy) run as a real process on the given admin port, with a
/// bootstrap whose ADS cluster points at <c>xdsPort</c>. Its stats are set through its
/// <c>POST /fake/stats</c>. Disposing it kills the process (it was started here).
/// </summary>
internal sealed class FakeEnvoyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _adminUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _output = new();

    private FakeEnvoyProcess(Process process, int adminPort)
    {
        _process = process;
        AdminPort = adminPort;
        AdminClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}/") };
    }

    public int AdminPort { get; }

    public HttpClient AdminClient { get; }

    private static string DllPath => FakeEnvoyLocation.DllPath;

    /// <summary>Starts the fake and waits until its admin API listens.</summary>
    public static async Task<FakeEnvoyProcess> StartAsync(string directory, int adminPort, int xdsPort, IReadOnlyDictionary<string, string>? environment = null)
    {
        var bootstrapPath = Path.Combine(directory, $"fake-envoy-{adminPort}.json");
        await File.WriteAllTextAsync(bootstrapPath, Bootstrap(adminPort, xdsPort));

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { DllPath, "-c", bootstrapPath, "--restart-epoch", "0", "--base-id", adminPort.ToString(CultureInfo.InvariantCulture), "-l", "info" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var fake = new FakeEnvoyProcess(process, adminPort);
        process.ErrorDataReceived += (_, e) => fake.OnOutput(e.Data);
        process.OutputDataReceived += (_, e) => fake.OnOutput(e.Data);
        process.Exited += (_, _) => fake._adminUp.TrySetException(new InvalidOperationException($"the fake Envoy exited: {fake.Output}"));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await fake._adminUp.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return fake;
    }

    /// <summary>Sets counters, gauges and histogram samples (Envoy's names) through <c>POST /fake/stats</c>.</summary>
    public async Task SetStatsAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await AdminClient.PostAsync(new Uri("fake/stats", UriKind.Relative), content).WaitAsync(TimeSpan.FromSeconds(10));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Kills the process (a dead admin API) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        AdminClient.Dispose();
        _process.Dispose();
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("admin address:", StringComparison.Ordinal))
        {
            _adminUp.TrySetResult();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Bootstrap(int adminPort, int xdsPort)
    {
        var http2 = new UpstreamHttpProtocolOptions
        {
            ExplicitHttpConfig = new UpstreamHttpProtocolOptions.Types.ExplicitHttpConfig { Http2ProtocolOptions = new Http2ProtocolOptions() },
        };
        var bootstrap = new Bootstrap
        {
            Node = new Node { Id = $"fake-envoy-{adminPort}", Cluster = "telemetry-tests" },
            Admin = new Admin { Address = Loopback(adminPort) },
            StaticResources = new Bootstrap.Types.StaticResources
            {
                Clusters =
                {
                    new Cluster
                    {
                        Name = "xds_cluster",
                        Type = Cluster.Types.DiscoveryType.Static,
                        ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
                        LoadAssignment = new ClusterLoadAssignment
                        {
                            ClusterName = "xds_cluster",
                            Endpoints = { new LocalityLbEndpoints { LbEndpoints = { new LbEndpoint { Endpoint = new Endpoint { Address = Loopback(xdsPort) } } } } },
                        },
                        TypedExtensionProtocolOptions = { ["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"] = Any.Pack(http2) },
                    },
                },
            },
            DynamicResources = new Bootstrap.Types.DynamicResources
            {
                AdsConfig = new ApiConfigSource
                {
                    ApiType = ApiConfigSource.Types.ApiType.Grpc,
                    TransportApiVersion = ApiVersion.V3,
                    GrpcServices = { new GrpcService { EnvoyGrpc = new GrpcService.Types.EnvoyGrpc { ClusterName = "xds_cluster" } } },
                },
                CdsConfig = new ConfigSource { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 },
                LdsConfig = new ConfigSource { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 },
            },
        };
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry.FromMessages(UpstreamHttpProtocolOptions.Descriptor)));
        return formatter.Format(bootstrap);
    }

    private static Address Loopback(int port) => new() { SocketAddress = new EnvoySocketAddress { Address = "127.0.0.1", PortValue = (uint)port } };
}
