using Envoy.Config.Core.V3;
using Google.Protobuf;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Maps one ADS flavour's wire messages to the state machine's inputs and its responses back to wire
/// messages. Nothing else differs between state of the world and delta.
/// </summary>
internal interface IAdsCodec<TRequest, TResponse>
    where TRequest : class, IMessage
    where TResponse : class, IMessage
{
    /// <summary>"sotw" or "delta", for logs and metrics.</summary>
    string Protocol { get; }

    /// <summary>Whether the state machine runs with delta's semantics.</summary>
    bool Incremental { get; }

    Node? NodeOf(TRequest request);

    AdsRequest Decode(TRequest request);

    TResponse Encode(AdsResponse response);
}
