using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;

namespace MarchProxy.ControlPlane.Server;

/// <summary>State-of-the-world ADS (StreamAggregatedResources) on the wire.</summary>
internal sealed class SotwCodec : IAdsCodec<DiscoveryRequest, DiscoveryResponse>
{
    public static SotwCodec Instance { get; } = new();

    public string Protocol => "sotw";

    public bool Incremental => false;

    public Node? NodeOf(DiscoveryRequest request) => request.Node;

    public AdsRequest Decode(DiscoveryRequest request) => new()
    {
        TypeUrl = request.TypeUrl,
        ResponseNonce = request.ResponseNonce,
        Error = NackText.Of(request.ErrorDetail),
        Names = request.ResourceNames,
    };

    public DiscoveryResponse Encode(AdsResponse response)
    {
        var message = new DiscoveryResponse { VersionInfo = response.TypeVersion, TypeUrl = response.TypeUrl, Nonce = response.Nonce };
        foreach (var resource in response.Resources)
        {
            message.Resources.Add(resource.Resource);
        }

        return message;
    }
}
