using MarchProxy.Load.Ads;

namespace MarchProxy.Load.Results;

/// <summary>Bytes one client receives per weight change of one route, in a state of many routes.</summary>
public sealed record WireBytesResult(
    int Routes,
    int Clusters,
    XdsProtocol Protocol,
    bool Synced,
    long InitialSyncBytes,
    int Mutations,
    int Complete,
    double MeanBytesPerChange,
    long MaxBytesPerChange,
    double MeanResponsesPerChange,
    LatencySummary LastAck);
