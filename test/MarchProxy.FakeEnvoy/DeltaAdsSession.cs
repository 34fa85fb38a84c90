using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// One delta (incremental) ADS stream. CDS and LDS are wildcard (no names on the first request), EDS
/// and RDS subscribe and unsubscribe by name; a reconnect sends the known versions in
/// initial_resource_versions. Requests are written only by this loop.
/// </summary>
internal sealed class DeltaAdsSession(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient client, Node node, XdsProgress progress, FakeLog log)
{
    private readonly Dictionary<string, IReadOnlyList<string>> _names = [];
    private AsyncDuplexStreamingCall<DeltaDiscoveryRequest, DeltaDiscoveryResponse>? _call;
    private bool _nodeSent;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var call = client.DeltaAggregatedResources(cancellationToken: cancellationToken);
        _call = call;
        await SendInitialAsync(XdsResources.ClusterType, []);
        await SendInitialAsync(XdsResources.ListenerType, []);
        progress.SetConnected(true);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            var type = response.TypeUrl;
            var result = progress.Handle(
                type,
                response.SystemVersionInfo,
                response.Nonce,
                [.. response.Resources.Select(r => ((string?)r.Name, (string?)r.Version, r.Resource_))],
                [.. response.RemovedResources],
                replaceAll: false);
            var request = new DeltaDiscoveryRequest { TypeUrl = type, ResponseNonce = response.Nonce };
            if (result.Error is not null)
            {
                log.Warn("config", $"delta config for {type} rejected: {result.Error}");
                request.ErrorDetail = new Google.Rpc.Status { Code = (int)Google.Rpc.Code.InvalidArgument, Message = result.Error };
            }

            await WriteAsync(request);
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

    private async Task SendInitialAsync(string type, IReadOnlyList<string> names)
    {
        var request = new DeltaDiscoveryRequest { TypeUrl = type, ResourceNamesSubscribe = { names } };
        foreach (var (key, version) in progress.Versions)
        {
            var split = key.IndexOf('|', StringComparison.Ordinal);
            if (key[..split] == type)
            {
                request.InitialResourceVersions[key[(split + 1)..]] = version;
            }
        }

        _names[type] = names;
        await WriteAsync(request);
    }

    private async Task SubscribeAsync(string type, IReadOnlyList<string> names)
    {
        if (!_names.TryGetValue(type, out var current))
        {
            // An empty first subscription would mean wildcard: subscribe only once there are names.
            if (names.Count > 0)
            {
                await SendInitialAsync(type, names);
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
