using Envoy.Config.Cluster.V3;
using Envoy.Config.Route.V3;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.Alb.Tests.Fleet;

/// <summary>
/// An Envoy-like client (<see cref="FakeXdsNode"/>) that records what every CDS and RDS response it
/// received held: the cluster names, and the route names of all its route configurations.
/// </summary>
internal sealed class XdsRecorder : IAsyncDisposable
{
    private readonly FakeXdsNode _node;
    private readonly List<HashSet<string>> _clusters = [];
    private readonly List<HashSet<string>> _routes = [];
    private readonly Task _reading;

    private XdsRecorder(FakeXdsNode node)
    {
        _node = node;
        _reading = ReadAsync();
    }

    public string NodeId => _node.NodeId;

    /// <summary>The cluster names of each CDS response, in order.</summary>
    public IReadOnlyList<HashSet<string>> Clusters
    {
        get
        {
            lock (_clusters)
            {
                return [.. _clusters];
            }
        }
    }

    /// <summary>The route names of each RDS response, in order.</summary>
    public IReadOnlyList<HashSet<string>> Routes
    {
        get
        {
            lock (_clusters)
            {
                return [.. _routes];
            }
        }
    }

    public static async Task<XdsRecorder> ConnectAsync(Uri address, string nodeId) =>
        new(await FakeXdsNode.ConnectAsync(address, nodeId));

    /// <summary>Waits until an RDS response served a route named <paramref name="name"/>.</summary>
    public Task WaitForRouteAsync(string name) =>
        Poll.UntilAsync(() => Task.FromResult(Routes.Any(r => r.Contains(name))), $"{NodeId} to receive route {name}", TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        await _reading.DefaultTimeout();
    }

    private async Task ReadAsync()
    {
        await foreach (var response in _node.Received.ReadAllAsync())
        {
            lock (_clusters)
            {
                if (response.TypeUrl == ResourceTypes.Cluster)
                {
                    _clusters.Add([.. response.Resources.Select(r => r.Unpack<Cluster>().Name)]);
                }
                else if (response.TypeUrl == ResourceTypes.Route)
                {
                    _routes.Add([.. response.Resources
                        .Select(r => r.Unpack<RouteConfiguration>())
                        .SelectMany(c => c.VirtualHosts.SelectMany(v => v.Routes))
                        .Select(r => r.Name)]);
                }
            }
        }
    }
}
