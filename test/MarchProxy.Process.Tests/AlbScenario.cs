using System.Net;
using Grpc.Net.Client;
using MarchProxy.Api.V1;

namespace MarchProxy.Process.Tests;

/// <summary>
/// One whole-process scenario: a temporary directory (DATA_DIR, the standalone config, the fake Envoy's
/// call and xDS logs), the published ALB started from it as a child process on free ports and, when
/// supervised, the fake Envoy as the ALB's own child. Disposing it kills what still runs (the ALB, and
/// any Envoy left behind by a killed ALB) and writes the ALB's output to the test's output.
/// </summary>
internal sealed class AlbScenario : IAsyncDisposable
{
    /// <summary>One cluster and one route, so Envoy receives every resource type.</summary>
    public const string Config = """
        {
          "Proxy": {
            "Routes": { "web": { "ClusterId": "web", "Match": { "Path": "/" } } },
            "Clusters": { "web": { "Destinations": { "d1": { "Address": "http://127.0.0.1:8081" } } } }
          }
        }
        """;

    private readonly List<GrpcChannel> _channels = [];
    private readonly List<AlbProcess> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private AlbScenario(bool supervised)
    {
        Directory = new TempDirectory();
        File.WriteAllText(ConfigFile, Config);
        XdsPort = FreePorts.Get();
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DATA_DIR"] = DataDir,
            ["ALB_CONFIG_FILE"] = ConfigFile,
            ["XDS_PORT"] = XdsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (supervised)
        {
            AdminPort = FreePorts.Get();
            Envoy = new FakeEnvoyBinary(Directory.Path)
                .Set("FAKE_ENVOY_CALL_LOG", CallLogPath)
                .Set("FAKE_ENVOY_XDS_LOG", XdsLogPath);
            Environment["ENVOY_ENABLED"] = "true";
            Environment["ENVOY_BINARY"] = Envoy.ScriptPath;
            Environment["ENVOY_ADMIN_PORT"] = AdminPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Environment["ENVOY_LISTEN_PORT"] = FreePorts.Get().ToString(System.Globalization.CultureInfo.InvariantCulture);

            // The fake Envoy is a .NET process: on a busy 2-core machine a new epoch can take several
            // seconds to be LIVE, more than the 10 s default allows a hot restart.
            Environment["RELOAD_GRACE_PERIOD"] = "30s";
        }
    }

    public TempDirectory Directory { get; }

    public string DataDir => Directory.Combine("data");

    public string ConfigFile => Directory.Combine("alb.json");

    public string CallLogPath => Directory.Combine("envoy-calls.log");

    public string XdsLogPath => Directory.Combine("envoy-xds.log");

    public int XdsPort { get; }

    public int AdminPort { get; }

    public FakeEnvoyBinary? Envoy { get; }

    /// <summary>The ALB's environment; change it before <see cref="StartAsync"/>.</summary>
    public Dictionary<string, string?> Environment { get; }

    /// <summary>The ALB started last.</summary>
    public AlbProcess Alb => _processes.Count > 0 ? _processes[^1] : throw new InvalidOperationException("No ALB was started.");

    public AlbPorts Ports { get; private set; } = null!;

    public ModuleService.ModuleServiceClient Client { get; private set; } = null!;

    public Uri AdminAddress => new($"http://127.0.0.1:{AdminPort}/");

    public static AlbScenario ControlPlaneOnly() => new(supervised: false);

    public static AlbScenario Supervised() => new(supervised: true);

    /// <summary>
    /// Starts the published ALB and waits for its start-up line (not for readiness). Its output is kept
    /// in memory, or written to <paramref name="outputFile"/> when given.
    /// </summary>
    public async Task<AlbProcess> StartAsync(string? outputFile = null)
    {
        var dll = await PublishedAlb.EnsureAsync();
        var alb = outputFile is null
            ? AlbProcess.Start(dll, Directory.Path, Environment)
            : AlbProcess.StartLoggingTo(outputFile, dll, Directory.Path, Environment);
        _processes.Add(alb);
        Ports = await alb.WaitForListeningAsync();
        Client = new ModuleService.ModuleServiceClient(Channel(Ports.ApiAddress));
        return alb;
    }

    /// <summary>Runs the published ALB with <paramref name="args"/> and waits for it to exit by itself.</summary>
    public async Task<AlbProcess> RunToExitAsync(params string[] args)
    {
        var dll = await PublishedAlb.EnsureAsync();
        var alb = AlbProcess.Start(dll, Directory.Path, Environment, args);
        _processes.Add(alb);
        await alb.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return alb;
    }

    public GrpcChannel Channel(Uri address)
    {
        var channel = GrpcChannel.ForAddress(address);
        _channels.Add(channel);
        return channel;
    }

    public async Task<HttpStatusCode> ReadyzAsync()
    {
        using var response = await _http.GetAsync(new Uri(Ports.HealthAddress, "/readyz"));
        return response.StatusCode;
    }

    /// <summary>Polls /readyz until it answers 200 (Envoy LIVE with its config accepted, when supervised).</summary>
    public Task WaitReadyAsync(TimeSpan? timeout = null) =>
        Poll.UntilAsync(async () => await ReadyzAsync() == HttpStatusCode.OK, "/readyz to answer 200", timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>The admin calls and signals the fake Envoy processes received, in order ("epoch entry").</summary>
    public IReadOnlyList<string> ReadCallLog() => File.Exists(CallLogPath) ? File.ReadAllLines(CallLogPath) : [];

    /// <summary>Every xDS response the fake Envoy processes accepted or rejected ("epoch type ACK version=… resources=… removed=…").</summary>
    public IReadOnlyList<string> ReadXdsLog() => File.Exists(XdsLogPath) ? File.ReadAllLines(XdsLogPath) : [];

    public async Task<string> GetAdminAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(AdminAddress, path.TrimStart('/')));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task PostAdminAsync(string path, string body)
    {
        using var content = new StringContent(body);
        using var response = await _http.PostAsync(new Uri(AdminAddress, path.TrimStart('/')), content);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        // Disposal runs before NUnit knows the outcome, so the output is always kept with the test's.
        foreach (var alb in _processes)
        {
            await alb.DisposeAsync();
            await TestContext.Out.WriteLineAsync($"--- ALB pid {alb.Pid} output ---{System.Environment.NewLine}{string.Join(System.Environment.NewLine, alb.Output.TakeLast(200))}");
        }

        StrayProcesses.KillMentioning(Directory.Path);
        _http.Dispose();
        try
        {
            Directory.Dispose();
        }
        catch (IOException)
        {
            // A process killed a moment ago may still be writing a file; the temp folder is cleaned by the OS.
        }
    }
}
