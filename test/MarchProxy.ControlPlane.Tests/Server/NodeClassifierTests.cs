using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.ControlPlane.Tests.Server;

public sealed class NodeClassifierTests
{
    [TestCase("envoy", NodeKind.Envoy)]
    [TestCase("", NodeKind.Envoy)]
    [TestCase("gRPC Node Pure JS", NodeKind.Grpc)]
    [TestCase("gRPC Go", NodeKind.Grpc)]
    [TestCase("grpc-java", NodeKind.Grpc)]
    public void Classify_UserAgentName_DecidesTheKind(string userAgent, NodeKind expected)
    {
        NodeClassifier.Classify(new Node { Id = "n", UserAgentName = userAgent }).Should().Be(expected);
    }

    [TestCase("grpc", "envoy", NodeKind.Grpc)]
    [TestCase("GRPC", "envoy", NodeKind.Grpc)]
    [TestCase("envoy", "gRPC Node Pure JS", NodeKind.Envoy)]
    [TestCase("something-else", "gRPC Go", NodeKind.Grpc)]
    public void Classify_KindMetadata_OverridesTheUserAgent(string kind, string userAgent, NodeKind expected)
    {
        var metadata = new Struct { Fields = { [NodeClassifier.KindMetadataKey] = Value.ForString(kind) } };

        NodeClassifier.Classify(new Node { Id = "n", UserAgentName = userAgent, Metadata = metadata }).Should().Be(expected);
    }
}
