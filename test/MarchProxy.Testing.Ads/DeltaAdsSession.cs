using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace MarchProxy.Testing.Ads;

/// <summary>
/// One delta ADS stream: CDS and LDS wildcard (no names on the first request), EDS and RDS subscribed
/// and unsubscribed by name, and on a reconnect the held versions in initial_resource_versions, as
/// Envoy does. Only this loop writes.
/// </summary>
public sealed class DeltaAdsSession(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, Node node, IAdsConsumer consumer)
{
    private readonly Dictionary<string, IReadOnlyList<string>> _names = new(StringComparer.Ordinal);
    private AsyncDuplexStreamingCall<DeltaDiscoveryRequest, DeltaDiscoveryResponse>? _call;
    private bool _nodeSent;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var call = client.DeltaAggregatedResources(cancellationToken: cancellationToken);
        _call = call;
        await SubscribeFirstAsync(TypeUrls.Cluster, []);
        await SubscribeFirstAsync(TypeUrls.Listener, []);
        consumer.StreamOpened();
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            var type = response.TypeUrl;
            var error = consumer.Apply(new AdsResponse(
                type,
                response.SystemVersionInfo,
                response.Nonce,
                [.. response.Resources.Select(r => ((string?)r.Name, (string?)r.Version, r.Resource_))],
                [.. response.RemovedResources],
                StateOfTheWorld: false,
                response.CalculateSize()));
            var ack = new DeltaDiscoveryRequest { TypeUrl = type, ResponseNonce = response.Nonce };
            if (error is not null)
            {
                ack.ErrorDetail = new Google.Rpc.Status { Code = (int)Google.Rpc.Code.InvalidArgument, Message = error };
            }

            await WriteAsync(ack);
            consumer.Answered(type, error);
            await FollowAsync(type);
        }
    }

    private async Task SubscribeFirstAsync(string type, IReadOnlyList<string> names)
    {
        var request = new DeltaDiscoveryRequest { TypeUrl = type, ResourceNamesSubscribe = { names } };
        foreach (var (name, version) in consumer.HeldVersions(type))
        {
            request.InitialResourceVersions[name] = version;
        }

        _names[type] = names;
        await WriteAsync(request);
    }

    /// <summary>After CDS, follow the EDS names it references; after LDS, the RDS names.</summary>
    private async Task FollowAsync(string answered)
    {
        if (TypeUrls.FollowedBy(answered) is not { } type)
        {
            return;
        }

        var names = consumer.Wanted(type);
        if (!_names.TryGetValue(type, out var current))
        {
            // An empty first subscription would mean wildcard: subscribe once there are names.
            if (names.Count > 0)
            {
                await SubscribeFirstAsync(type, names);
            }

            return;
        }

        var added = names.Except(current, StringComparer.Ordinal).ToList();
        var gone = current.Except(names, StringComparer.Ordinal).ToList();
        if (added.Count == 0 && gone.Count == 0)
        {
            return;
        }

        _names[type] = names;
        await WriteAsync(new DeltaDiscoveryRequest { TypeUrl = type, ResourceNamesSubscribe = { added }, ResourceNamesUnsubscribe = { gone } });
    }

    private async Task WriteAsync(DeltaDiscoveryRequest request)
    {
        if (!_nodeSent)
        {
            request.Node = node;
            _nodeSent = true;
        }

        await _call!.RequestStream.WriteAsync(request);
    }
}
