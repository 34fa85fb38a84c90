using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// One state-of-the-world ADS stream. Requests are written only by this loop (one writer). The node is
/// sent on the first request only; ACK = version and nonce of the response; NACK = the previous good
/// version, the response's nonce and error_detail.
/// </summary>
internal sealed class SotwAdsSession(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, Node node, XdsProgress progress, FakeLog log)
{
    private readonly Dictionary<string, string> _acceptedVersions = [];
    private readonly Dictionary<string, string> _nonces = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _names = new()
    {
        [XdsResources.ClusterType] = [],
        [XdsResources.ListenerType] = [],
    };

    private AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse>? _call;
    private bool _nodeSent;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var call = client.StreamAggregatedResources(cancellationToken: cancellationToken);
        _call = call;
        await SendAsync(XdsResources.ClusterType, error: null);
        await SendAsync(XdsResources.ListenerType, error: null);
        progress.SetConnected(true);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            var type = response.TypeUrl;
            _nonces[type] = response.Nonce;
            var replaceAll = type is XdsResources.ClusterType or XdsResources.ListenerType;
            var result = progress.Handle(type, response.VersionInfo, response.Nonce, [.. response.Resources.Select(r => ((string?)null, (string?)null, r))], [], replaceAll);
            if (result.Error is null)
            {
                _acceptedVersions[type] = response.VersionInfo;
            }
            else
            {
                log.Warn("config", $"gRPC config for {type} rejected: {result.Error}");
            }

            await SendAsync(type, result.Error);
            if (type == XdsResources.ClusterType)
            {
                await SubscribeAsync(XdsResources.EndpointType, result.EdsNames);
            }
            else if (type == XdsResources.ListenerType)
            {
                await SubscribeAsync(XdsResources.RouteType, result.RdsNames);
            }
        }
    }

    private async Task SubscribeAsync(string type, IReadOnlyList<string> names)
    {
        var known = _names.TryGetValue(type, out var current);
        if ((known && current!.SequenceEqual(names)) || (!known && names.Count == 0))
        {
            // Unchanged, or an empty first request, which would mean wildcard.
            return;
        }

        _names[type] = names;
        await SendAsync(type, error: null);
    }

    private async Task SendAsync(string type, string? error)
    {
        var request = new DiscoveryRequest
        {
            TypeUrl = type,
            VersionInfo = _acceptedVersions.GetValueOrDefault(type, string.Empty),
            ResponseNonce = _nonces.GetValueOrDefault(type, string.Empty),
            ResourceNames = { _names.GetValueOrDefault(type, []) },
        };
        if (!_nodeSent)
        {
            request.Node = node;
            _nodeSent = true;
        }

        if (error is not null)
        {
            request.ErrorDetail = new Google.Rpc.Status { Code = (int)Google.Rpc.Code.InvalidArgument, Message = error };
        }

        await _call!.RequestStream.WriteAsync(request);
    }
}
