using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Incremental ADS (DeltaAggregatedResources) on the wire: each resource with its own version (a
/// content hash), removals and unknown names in removed_resources.
/// </summary>
internal sealed class DeltaCodec : IAdsCodec<DeltaDiscoveryRequest, DeltaDiscoveryResponse>
{
    public static DeltaCodec Instance { get; } = new();

    public string Protocol => "delta";

    public bool Incremental => true;

    public Node? NodeOf(DeltaDiscoveryRequest request) => request.Node;

    public AdsRequest Decode(DeltaDiscoveryRequest request) => new()
    {
        TypeUrl = request.TypeUrl,
        ResponseNonce = request.ResponseNonce,
        Error = NackText.Of(request.ErrorDetail),
        Subscribe = request.ResourceNamesSubscribe,
        Unsubscribe = request.ResourceNamesUnsubscribe,
        InitialVersions = request.InitialResourceVersions,
    };

    public DeltaDiscoveryResponse Encode(AdsResponse response)
    {
        var message = new DeltaDiscoveryResponse
        {
            SystemVersionInfo = response.Snapshot.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TypeUrl = response.TypeUrl,
            Nonce = response.Nonce,
        };
        foreach (var resource in response.Resources)
        {
            message.Resources.Add(new Resource { Name = resource.Name, Version = resource.Version, Resource_ = resource.Resource });
        }

        message.RemovedResources.Add(response.Removed);
        return message;
    }
}
