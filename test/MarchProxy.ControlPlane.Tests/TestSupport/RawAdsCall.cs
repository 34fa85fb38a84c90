using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

/// <summary>
/// An ADS call that writes raw bytes as messages, to send frames that are not valid discovery
/// requests (the server's method, a marshaller that does not encode).
/// </summary>
internal static class RawAdsCall
{
    private const string Service = "envoy.service.discovery.v3.AggregatedDiscoveryService";

    public static AsyncDuplexStreamingCall<byte[], byte[]> Start(GrpcChannel channel, bool delta)
    {
        var marshaller = Marshallers.Create(static (byte[] bytes) => bytes, static bytes => bytes);
        var method = new Method<byte[], byte[]>(
            MethodType.DuplexStreaming, Service, delta ? "DeltaAggregatedResources" : "StreamAggregatedResources", marshaller, marshaller);
        return channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, host: null, new CallOptions());
    }

    /// <summary>Bytes that do not parse as a protobuf message (a field with wire type 7, which does not exist).</summary>
    public static byte[] Garbage { get; } = [0x0F, 0xFF, 0xFF, 0xFF];

    public static byte[] Bytes(IMessage message) => message.ToByteArray();
}
