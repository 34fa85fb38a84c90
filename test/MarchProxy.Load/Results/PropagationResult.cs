using MarchProxy.Load.Ads;

namespace MarchProxy.Load.Results;

/// <summary>Mutation → ACK at one fleet size. Times are from the moment the SetTrafficWeight call was sent.</summary>
public sealed record PropagationResult(
    int Streams,
    XdsProtocol Protocol,
    bool AllSynced,
    double ConnectSeconds,
    int Mutations,
    int Complete,
    LatencySummary Rpc,
    LatencySummary FirstAck,
    LatencySummary LastAck,
    long Nacks,
    long Reconnects,
    IReadOnlyList<string> Problems);
