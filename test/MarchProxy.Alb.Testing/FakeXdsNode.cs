using System.Threading.Channels;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Net.Client;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.Testing;

namespace MarchProxy.Alb.Testing;

/// <summary>
/// An in-test xDS client on the ADS port that plays an Envoy (state of the world: CDS and LDS
/// wildcard, then EDS and RDS for what they name): it answers every response with an ACK, a NACK,
/// or nothing, as <see cref="Behavior"/> says at that moment. After the first requests only the
/// reader loop writes to the stream.
/// </summary>
public sealed class FakeXdsNode : IAsyncDisposable
{
    public const string NackError = "fake envoy: cluster validation failed";

    public const string RouteNackError = "fake envoy: virtual host validation failed";

    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> _call;
    private readonly Channel<DiscoveryResponse> _received = Channel.CreateUnbounded<DiscoveryResponse>();
    private readonly Dictionary<string, TypeState> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;
    private volatile bool _disposing;
    private volatile AckBehavior _behavior;

    private FakeXdsNode(Uri address, string nodeId, AckBehavior behavior)
    {
        NodeId = nodeId;
        _behavior = behavior;
        _channel = GrpcChannel.ForAddress(address);
        _call = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(_channel).StreamAggregatedResources();
    }

    public string NodeId { get; }

    public AckBehavior Behavior
    {
        get => _behavior;
        set => _behavior = value;
    }

    /// <summary>
    /// When set, a route configuration response with a virtual host serving this domain is NACKed
    /// (with <see cref="RouteNackError"/>) whatever <see cref="Behavior"/> says, as Envoy rejects a
    /// RouteConfiguration whole for one bad virtual host.
    /// </summary>
    public string? RejectDomain { get; set; }

    /// <summary>Every response received, in order.</summary>
    public ChannelReader<DiscoveryResponse> Received => _received.Reader;

    public static async Task<FakeXdsNode> ConnectAsync(Uri address, string nodeId, AckBehavior behavior = AckBehavior.Ack)
    {
        var node = new FakeXdsNode(address, nodeId, behavior);
        var first = true;
        foreach (var typeUrl in new[] { ResourceTypes.Cluster, ResourceTypes.Listener })
        {
            var request = new DiscoveryRequest { TypeUrl = typeUrl };
            if (first)
            {
                request.Node = new Node { Id = nodeId, Cluster = "test", UserAgentName = "envoy" };
                first = false;
            }

            await node._call.RequestStream.WriteAsync(request).DefaultTimeout();
        }

        // From here on only the reader loop writes (one writer per stream).
        node._loop = node.RunAsync();
        return node;
    }

    /// <summary>
    /// Reads responses until one of <paramref name="typeUrl"/> at config version <paramref name="version"/>
    /// or later has arrived (remembering what it read, so types may be awaited in any order).
    /// </summary>
    public async Task WaitForAsync(string typeUrl, long version)
    {
        while (_seen.GetValueOrDefault(typeUrl, -1) < version)
        {
            var response = await _received.Reader.ReadAsync().DefaultTimeout();
            if (long.TryParse(response.VersionInfo.Split('-')[0], out var v))
            {
                _seen[response.TypeUrl] = Math.Max(v, _seen.GetValueOrDefault(response.TypeUrl, -1));
            }
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var response in _call.ResponseStream.ReadAllAsync())
            {
                await ReplyAsync(response);
                await _received.Writer.WriteAsync(response);
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
            // The test ended the stream.
        }
        catch (ObjectDisposedException) when (_disposing)
        {
            // DisposeAsync disposed the call while an ACK was being written.
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    /// <summary>
    /// ACKs, NACKs or ignores a response. Like Envoy, after accepting clusters it subscribes to the
    /// endpoints of its EDS clusters, and after accepting listeners to their route configurations.
    /// </summary>
    private async Task ReplyAsync(DiscoveryResponse response)
    {
        var type = TypeOf(response.TypeUrl);
        type.Nonce = response.Nonce;
        var request = new DiscoveryRequest { TypeUrl = response.TypeUrl, ResponseNonce = response.Nonce };
        request.ResourceNames.AddRange(type.Names);
        var behavior = RejectsRoutes(response) ? AckBehavior.Nack : _behavior;
        switch (behavior)
        {
            case AckBehavior.Ack:
                request.VersionInfo = type.Version = response.VersionInfo;
                break;
            case AckBehavior.Nack:
                request.VersionInfo = type.Version;
                request.ErrorDetail = new Google.Rpc.Status
                {
                    Code = (int)StatusCode.InvalidArgument,
                    Message = behavior == _behavior ? NackError : RouteNackError,
                };
                break;
            default:
                return;
        }

        await _call.RequestStream.WriteAsync(request);
        if (behavior != AckBehavior.Ack)
        {
            return;
        }

        if (response.TypeUrl == ResourceTypes.Cluster)
        {
            await SubscribeAsync(ResourceTypes.Endpoint, response.Resources
                .Select(r => r.Unpack<Cluster>())
                .Where(c => c.Type == Cluster.Types.DiscoveryType.Eds)
                .Select(c => string.IsNullOrEmpty(c.EdsClusterConfig?.ServiceName) ? c.Name : c.EdsClusterConfig.ServiceName));
        }
        else if (response.TypeUrl == ResourceTypes.Listener)
        {
            await SubscribeAsync(ResourceTypes.Route, response.Resources
                .Select(r => r.Unpack<Listener>())
                .SelectMany(l => l.FilterChains.SelectMany(c => c.Filters))
                .Where(f => f.TypedConfig?.Is(HttpConnectionManager.Descriptor) == true)
                .Select(f => f.TypedConfig.Unpack<HttpConnectionManager>().Rds?.RouteConfigName)
                .OfType<string>());
        }
    }

    private bool RejectsRoutes(DiscoveryResponse response) =>
        RejectDomain is { } domain && response.TypeUrl == ResourceTypes.Route
        && response.Resources.Select(r => r.Unpack<Envoy.Config.Route.V3.RouteConfiguration>())
            .Any(c => c.VirtualHosts.Any(v => v.Domains.Contains(domain)));

    private async Task SubscribeAsync(string typeUrl, IEnumerable<string> names)
    {
        var type = TypeOf(typeUrl);
        var wanted = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (wanted.SequenceEqual(type.Names))
        {
            return;
        }

        type.Names = wanted;
        var request = new DiscoveryRequest { TypeUrl = typeUrl, VersionInfo = type.Version, ResponseNonce = type.Nonce };
        request.ResourceNames.AddRange(wanted);
        await _call.RequestStream.WriteAsync(request);
    }

    private TypeState TypeOf(string typeUrl)
    {
        if (!_types.TryGetValue(typeUrl, out var type))
        {
            type = new TypeState();
            _types[typeUrl] = type;
        }

        return type;
    }

    private sealed class TypeState
    {
        public string Nonce { get; set; } = string.Empty;

        public string Version { get; set; } = string.Empty;

        public List<string> Names { get; set; } = [];
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        _call.Dispose();
        await _loop.DefaultTimeout();
        _channel.Dispose();
    }
}
