using MarchProxy.Supervisor.Envoy;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Primitives;

namespace MarchProxy.Supervisor.Tests.Infrastructure;

/// <summary>
/// One supervisor under test, with its own temp directory, fake Envoy script, admin port and in-test
/// ADS server. Disposing it stops the supervisor and then kills every process whose command line names
/// this harness's directory, so no test leaves a process behind.
/// </summary>
public sealed class SupervisorHarness : IAsyncDisposable
{
    private readonly HttpClient _adminHttp;
    private TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SupervisorHarness(string root, TestAdsServer ads, EnvoyOptions options, TimeProvider lifecycle)
    {
        Root = root;
        Ads = ads;
        Logger = new FakeLogger(new FakeLogCollector(Microsoft.Extensions.Options.Options.Create(new FakeLogCollectorOptions
        {
            OutputSink = _ => Interlocked.Exchange(ref _logged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(),
        })));
        Options = options;
        Binary = new FakeEnvoyBinary(root);
        options.BinaryPath ??= Binary.ScriptPath;
        CallLogPath = Path.Combine(root, "calls.log");
        Binary.Set("FAKE_ENVOY_CALL_LOG", CallLogPath);
        _adminHttp = new HttpClient { BaseAddress = SupervisorServiceCollectionExtensions.AdminBaseAddress(options), Timeout = options.AdminRequestTimeout };
        Admin = new EnvoyAdminClient(_adminHttp);
        Supervisor = new EnvoySupervisor(
            options, ads, Admin, new SupervisorClocks(lifecycle, TimeProvider.System), Logger, () => Environment.GetEnvironmentVariable("PATH"));
    }

    /// <summary>How long a wait that includes starting a fake Envoy process may take.</summary>
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(30);

    public string Root { get; }

    public string CallLogPath { get; }

    public TestAdsServer Ads { get; }

    public EnvoyOptions Options { get; }

    public FakeEnvoyBinary Binary { get; }

    public IEnvoyAdminClient Admin { get; }

    public FakeLogger Logger { get; }

    internal EnvoySupervisor Supervisor { get; }

    public static async Task<SupervisorHarness> CreateAsync(
        XdsMode mode = XdsMode.Delta, TimeProvider? lifecycle = null, Action<EnvoyOptions>? configure = null, TestAdsResources? resources = null)
    {
        var root = Directory.CreateTempSubdirectory("marchproxy-supervisor-").FullName;
        var ads = await TestAdsServer.StartAsync(resources ?? new TestAdsResources { ListenerPort = FreePort() });
        var options = new EnvoyOptions
        {
            AdminPort = FreePort(),
            XdsPort = ads.Port,
            XdsMode = mode,
            NodeId = "test-node",
            NodeCluster = "test-cluster",
            DataDir = Path.Combine(root, "data"),
            ReadinessPollInterval = TimeSpan.FromMilliseconds(100),
            StopGracePeriod = TimeSpan.FromSeconds(2),
            DrainTimeout = TimeSpan.FromSeconds(5),
            DrainTime = TimeSpan.FromSeconds(1),
            ParentShutdownTime = TimeSpan.FromSeconds(2),
            // The fake Envoy is a .NET process (two starts: validate, then serve); on a loaded 2-core
            // machine a new epoch can take more than 10 s to be LIVE.
            ReloadGracePeriod = TimeSpan.FromSeconds(30),
        };
        configure?.Invoke(options);
        return new SupervisorHarness(root, ads, options, lifecycle ?? TimeProvider.System);
    }

    public static int FreePort() => FreePorts.Get();

    public Task StartAsync() => Supervisor.StartAsync(CancellationToken.None).DefaultTimeout();

    public Task StopAsync() => Supervisor.StopAsync(CancellationToken.None).DefaultTimeout(TimeSpan.FromSeconds(30));

    /// <summary>
    /// Waits, without sleeping, until the published status satisfies <paramref name="condition"/>; by
    /// default for up to 30 s, as reaching a state usually means starting a fake Envoy process.
    /// </summary>
    public async Task<EnvoyStatus> WaitForStatusAsync(Func<EnvoyStatus, bool> condition, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? ProcessTimeout);
        while (true)
        {
            var token = Supervisor.GetChangeToken();
            var status = Supervisor.GetStatus();
            if (condition(status))
            {
                return status;
            }

            await WhenChanged(token).WaitAsync(cancel.Token);
        }
    }

    /// <summary>Waits until a log record satisfies <paramref name="condition"/>, re-checking at every new record.</summary>
    public async Task<FakeLogRecord> WaitForLogAsync(Func<FakeLogRecord, bool> condition)
    {
        using var cancel = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutSpan);
        while (true)
        {
            var logged = Volatile.Read(ref _logged).Task;
            if (Logger.Collector.GetSnapshot().FirstOrDefault(condition) is { } record)
            {
                return record;
            }

            await logged.WaitAsync(cancel.Token);
        }
    }

    /// <summary>LIVE and the ADS server has the ACKs that readiness needs.</summary>
    public async Task<EnvoyStatus> WaitReadyAsync()
    {
        var status = await WaitForStatusAsync(s => s.State == EnvoyState.Live);
        await Ads.WaitForAsync(a => a.HasAcceptedInitialConfig);
        return status;
    }

    /// <summary>POSTs to one of the fake's /fake/ controls on the admin port.</summary>
    public async Task PostFakeAsync(string path, string body)
    {
        using var content = new StringContent(body);
        using var response = await _adminHttp.PostAsync(new Uri(path.TrimStart('/'), UriKind.Relative), content).DefaultTimeout();
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The admin calls and signals the fake processes received, in order ("epoch entry").</summary>
    public IReadOnlyList<string> ReadCallLog() => File.Exists(CallLogPath) ? File.ReadAllLines(CallLogPath) : [];

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Supervisor.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            await Supervisor.DisposeAsync();
        }
        finally
        {
            KillStrayProcesses(Root);
            _adminHttp.Dispose();
            await Ads.DisposeAsync();
            DumpLogsIfFailed();
            TryDelete(Root);
        }
    }

    /// <summary>SIGKILLs every process whose command line names <paramref name="root"/>.</summary>
    public static void KillStrayProcesses(string root) => StrayProcesses.KillMentioning(root);

    private static Task WhenChanged(IChangeToken token)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.RegisterChangeCallback(state => ((TaskCompletionSource)state!).TrySetResult(), changed);
        return changed.Task;
    }

    private void DumpLogsIfFailed()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed
            && Environment.GetEnvironmentVariable("MARCHPROXY_TEST_LOGS") != "1")
        {
            return;
        }

        foreach (var record in Logger.Collector.GetSnapshot())
        {
            TestContext.Out.WriteLine($"{record.Timestamp:HH:mm:ss.fff} {record.Level} {record.Id.Name}: {record.Message}");
        }
    }

    private static void TryDelete(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A process that was just killed may still hold a file; the temp directory is cleaned by the OS.
        }
    }
}
