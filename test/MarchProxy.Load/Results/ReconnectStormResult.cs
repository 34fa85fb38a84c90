namespace MarchProxy.Load.Results;

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
