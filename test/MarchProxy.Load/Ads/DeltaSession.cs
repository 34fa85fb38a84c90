using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace MarchProxy.Load.Ads;

/// <summary>
/// One delta ADS stream: CDS and LDS wildcard, EDS and RDS subscribed and unsubscribed by name, and
/// on a reconnect the held versions in initial_resource_versions, as Envoy does. Only this loop writes.
/// </summary>
internal sealed class DeltaSession(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, Node node, ClientView view, AdsLoadClient owner)
{
    private readonly Dictionary<string, IReadOnlyList<string>> _names = new(StringComparer.Ordinal);
    private AsyncDuplexStreamingCall<DeltaDiscoveryRequest, DeltaDiscoveryResponse>? _call;
    private bool _nodeSent;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var call = client.DeltaAggregatedResources(cancellationToken: cancellationToken);
        _call = call;
        view.Sync.NewStream();
        owner.StreamOpened();
        await SubscribeFirstAsync(TypeUrls.Cluster, []);
        await SubscribeFirstAsync(TypeUrls.Listener, []);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            owner.Counters.Received(response.CalculateSize());
            var type = response.TypeUrl;
            string? error = null;
            string? probe = null;
            try
            {
                probe = view.Apply(type, [.. response.Resources.Select(r => ((string?)r.Name, (string?)r.Version, r.Resource_))], [.. response.RemovedResources], replaceAll: false);
            }
            catch (InvalidDataException ex)
            {
                error = ex.Message;
            }

            var ack = new DeltaDiscoveryRequest { TypeUrl = type, ResponseNonce = response.Nonce };
            if (error is not null)
            {
                ack.ErrorDetail = new Google.Rpc.Status { Code = (int)Google.Rpc.Code.InvalidArgument, Message = error };
            }

            await WriteAsync(ack);
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

    private async Task SubscribeFirstAsync(string type, IReadOnlyList<string> names)
    {
        var request = new DeltaDiscoveryRequest { TypeUrl = type, ResourceNamesSubscribe = { names } };
        if (view.Versions.TryGetValue(type, out var held))
        {
            foreach (var (name, version) in held)
            {
                request.InitialResourceVersions[name] = version;
            }
        }

        _names[type] = names;
        await WriteAsync(request);
    }

    private async Task FollowAsync(string type)
    {
        var names = view.Wanted(type);
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
