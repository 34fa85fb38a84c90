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

/// <summary>Serial latencies: the floor a mutation cannot go below.</summary>
public sealed record UnaryFloorResult(LatencySummary HealthCheck, LatencySummary GetStatus, LatencySummary SetTrafficWeight, LatencySummary Fsync);

/// <summary>Acknowledged (successful) mutations per second with concurrent callers.</summary>
public sealed record ApiThroughputResult(int Callers, int Connections, double Seconds, long Mutations, long Failures, double PerSecond, LatencySummary Latency, IReadOnlyList<string> Errors);

/// <summary>Read RPCs against grpc.health.v1 Check in the same host process, same callers and connections.</summary>
public sealed record ReadRatioResult(int Callers, int Connections, double SecondsEach, double HealthRps, double GetStatusRps, double GetRoutesRps, double GetStatusRatio, double GetRoutesRatio, long Failures);

/// <summary>Host RSS without streams, with N idle synced streams, and after they disconnected.</summary>
public sealed record IdleMemoryResult(int Streams, bool AllSynced, long RssBeforeBytes, long RssWithStreamsBytes, long RssAfterBytes, double BytesPerStream, double SettleSeconds);

/// <summary>N synced streams, the host restarted (SIGTERM, same DATA_DIR and ports): how long until all are synced again.</summary>
public sealed record ReconnectStormResult(
    int Streams,
    bool AllSyncedBefore,
    bool AllSyncedAfter,
    int SyncedAfter,
    double StopSeconds,
    double DowntimeSeconds,
    double SyncAfterServingSeconds,
    double TotalSeconds,
    double BackoffBaseMs,
    double BackoffMaxMs,
    IReadOnlyList<string> Problems);

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
