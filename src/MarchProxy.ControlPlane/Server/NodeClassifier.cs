using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Decides which snapshot a node gets. A node is <see cref="NodeKind.Grpc"/> when its metadata has
/// <c>marchproxy.io/kind: grpc</c>, or, without that key, when its <c>user_agent_name</c> starts with
/// "gRPC" (case-insensitive: grpc-js sends "gRPC Node Pure JS", grpc-go "gRPC Go"). Metadata
/// <c>marchproxy.io/kind: envoy</c> forces <see cref="NodeKind.Envoy"/>. Everything else is Envoy.
/// </summary>
public static class NodeClassifier
{
    public const string KindMetadataKey = "marchproxy.io/kind";

    public static NodeKind Classify(Node node)
    {
        if (node.Metadata is not null
            && node.Metadata.Fields.TryGetValue(KindMetadataKey, out var value)
            && value.KindCase == Value.KindOneofCase.StringValue)
        {
            if (string.Equals(value.StringValue, "grpc", StringComparison.OrdinalIgnoreCase))
            {
                return NodeKind.Grpc;
            }

            if (string.Equals(value.StringValue, "envoy", StringComparison.OrdinalIgnoreCase))
            {
                return NodeKind.Envoy;
            }
        }

        return node.UserAgentName.StartsWith("gRPC", StringComparison.OrdinalIgnoreCase) ? NodeKind.Grpc : NodeKind.Envoy;
    }
}
