using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace MarchProxy.Testing.Ads;

/// <summary>
/// One state-of-the-world ADS stream, subscribing as Envoy does: CDS and LDS wildcard, then EDS and
/// RDS for the names they reference. The node goes on the first request only; an ACK carries the
/// response's version and nonce, a NACK the last good version, the nonce and error_detail. Only this
/// loop writes.
/// </summary>
public sealed class SotwAdsSession(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, Node node, IAdsConsumer consumer)
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
        await SendAsync(TypeUrls.Cluster, error: null);
        await SendAsync(TypeUrls.Listener, error: null);
        consumer.StreamOpened();
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            var type = response.TypeUrl;
            var error = consumer.Apply(new AdsResponse(
                type,
                response.VersionInfo,
                response.Nonce,
                [.. response.Resources.Select(r => ((string?)null, (string?)null, r))],
                [],
                StateOfTheWorld: true,
                response.CalculateSize()));
            if (error is null)
            {
                _versions[type] = response.VersionInfo;
            }

            _nonces[type] = response.Nonce;
            await SendAsync(type, error);
            consumer.Answered(type, error);
            await FollowAsync(type);
        }
    }

    /// <summary>After CDS, subscribe to the EDS names it references; after LDS, to the RDS names.</summary>
    private async Task FollowAsync(string answered)
    {
        if (TypeUrls.FollowedBy(answered) is not { } type)
        {
            return;
        }

        var names = consumer.Wanted(type);
        var known = _names.TryGetValue(type, out var current);
        if ((known && current!.SequenceEqual(names, StringComparer.Ordinal)) || (!known && names.Count == 0))
        {
            // Unchanged (a NACK changes nothing), or an empty first request, which would mean wildcard.
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
