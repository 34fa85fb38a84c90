using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace MarchProxy.Load.Ads;

/// <summary>
/// One state-of-the-world ADS stream, subscribing as Envoy does: CDS and LDS wildcard, then EDS and
/// RDS for the names they reference. The node goes on the first request only; an ACK carries the
/// response's version and nonce, a NACK the last good version and error_detail. Only this loop writes.
/// </summary>
internal sealed class SotwSession(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, Node node, ClientView view, AdsLoadClient owner)
{
    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nonces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _names = new(StringComparer.Ordinal)
    {
        [TypeUrls.Cluster] = [],
        [TypeUrls.Listener] = [],
    };

    private AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse>? _call;
    private bool _nodeSent;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var call = client.StreamAggregatedResources(cancellationToken: cancellationToken);
        _call = call;
        view.Sync.NewStream();
        owner.StreamOpened();
        await SendAsync(TypeUrls.Cluster, error: null);
        await SendAsync(TypeUrls.Listener, error: null);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            owner.Counters.Received(response.CalculateSize());
            var type = response.TypeUrl;
            string? error = null;
            string? probe = null;
            try
            {
                probe = view.Apply(type, [.. response.Resources.Select(r => ((string?)null, (string?)null, r))], [], replaceAll: true);
                _versions[type] = response.VersionInfo;
            }
            catch (InvalidDataException ex)
            {
                error = ex.Message;
            }

            _nonces[type] = response.Nonce;
            await SendAsync(type, error);
            owner.Answered(error, probe);
            if (error is null && type == TypeUrls.Cluster)
            {
                await FollowAsync(TypeUrls.Endpoint);
            }
            else if (error is null && type == TypeUrls.Listener)
            {
                await FollowAsync(TypeUrls.Route);
            }
        }
    }

    private async Task FollowAsync(string type)
    {
        var names = view.Wanted(type);
        var known = _names.TryGetValue(type, out var current);
        if ((known && current!.SequenceEqual(names, StringComparer.Ordinal)) || (!known && names.Count == 0))
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
            VersionInfo = _versions.GetValueOrDefault(type, string.Empty),
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
