using MarchProxy.Api.V1;
using Microsoft.Extensions.DependencyInjection;

namespace MarchProxy.Alb.Tests.Fleet;

/// <summary>
/// A fleet for a test: real etcd (one or three members, free ports) and ALB hosts (AlbTestHost, ports
/// 0) that share one prefix, each with its own DATA_DIR, MODULE_ID alb-1, alb-2, ...
/// </summary>
internal sealed class FleetHosts : IAsyncDisposable
{
    private readonly List<TempDirectory> _directories = [];
    private readonly AlbTestHost?[] _hosts;
    private readonly string _config;
    private readonly bool _ownsEtcd;

    private FleetHosts(EtcdCluster etcd, int hosts, string config, bool ownsEtcd)
    {
        Etcd = etcd;
        _ownsEtcd = ownsEtcd;
        _hosts = new AlbTestHost?[hosts];
        _config = config;
        for (var i = 0; i < hosts; i++)
        {
            _directories.Add(new TempDirectory());
        }
    }

    public EtcdCluster Etcd { get; }

    public string Prefix { get; } = $"/marchproxy-test-{Guid.NewGuid():N}/";

    public AlbTestHost this[int index] => _hosts[index] ?? throw new InvalidOperationException($"host {index} is stopped");

    public int Count => _hosts.Length;

    public static async Task<FleetHosts> StartAsync(int hosts, int etcdMembers = 1, string config = AlbTestHost.EmptyConfig, Func<int, string>? endpoints = null)
    {
        var etcd = await StartEtcdAsync(etcdMembers);
        var fleet = new FleetHosts(etcd, hosts, config, ownsEtcd: true);
        try
        {
            for (var i = 0; i < hosts; i++)
            {
                await fleet.StartHostAsync(i, endpoints?.Invoke(i));
            }

            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Real etcd for a test or a fixture (ignored, with the reason, where etcd is not installed).</summary>
    public static async Task<EtcdCluster> StartEtcdAsync(int members = 1, EtcdTls? tls = null)
    {
        if (!EtcdCluster.IsInstalled)
        {
            Assert.Ignore($"etcd is not installed at {EtcdCluster.Binary} (Debian's etcd-server; test/install-prerequisites.sh installs it)");
        }

        return await EtcdCluster.StartAsync(members, tls);
    }

    /// <summary>
    /// ALBs on an etcd the caller owns (a fixture's, shared by its tests), under a prefix of their own.
    /// None is started yet: <see cref="StartHostAsync"/> starts each, one by one or together.
    /// </summary>
    public static FleetHosts On(EtcdCluster etcd, int hosts, string config = AlbTestHost.EmptyConfig) =>
        new(etcd, hosts, config, ownsEtcd: false);

    public static string ModuleId(int index) => $"alb-{index + 1}";

    /// <summary>Starts (or restarts, on the same DATA_DIR) host <paramref name="index"/>.</summary>
    public async Task<AlbTestHost> StartHostAsync(
        int index,
        string? endpoints = null,
        IDictionary<string, string?>? extra = null,
        Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Alb:ModuleId"] = ModuleId(index),
            ["Alb:StateStore"] = "etcd",
            ["Etcd:Endpoints"] = endpoints ?? Etcd.Endpoints,
            ["Etcd:Prefix"] = Prefix,
            ["Etcd:MemberTtl"] = "00:00:03",
            ["Etcd:RequestTimeout"] = "00:00:02",
            // wait_for_ack without a call deadline ends here, answered by the server with who is behind.
            ["Alb:AckTimeout"] = "00:00:04",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = await AlbTestHost.StartAsync(_directories[index], _hosts[index] is null && !File.Exists(_directories[index].Combine("alb.json")) ? _config : null, settings, services);
        _hosts[index] = host;
        return host;
    }

    public async Task StopHostAsync(int index)
    {
        if (_hosts[index] is { } host)
        {
            _hosts[index] = null;
            await host.DisposeAsync();
        }
    }

    /// <summary>Waits until every running host serves <paramref name="version"/>.</summary>
    public async Task WaitForVersionAsync(long version)
    {
        for (var i = 0; i < _hosts.Length; i++)
        {
            if (_hosts[i] is not { } host)
            {
                continue;
            }

            // Generous: after an etcd outage the watch reconnects with backoff, slower on a loaded machine.
            await Poll.UntilAsync(
                async () => (await host.Client.GetStatusAsync(new StatusRequest())).ConfigVersion >= version,
                $"{ModuleId(i)} to serve version {version}",
                TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _hosts.Length; i++)
        {
            await StopHostAsync(i);
        }

        if (_ownsEtcd)
        {
            await Etcd.DisposeAsync();
        }

        foreach (var directory in _directories)
        {
            directory.Dispose();
        }
    }
}
