namespace MarchProxy.Load.Results;

/// <summary>
/// ApplyBatch: one batch of <see cref="BulkItems"/> items (routes plus the probe's weights) at one synced
/// stream, timed to the answer and to the stream's ACK; then <see cref="Callers"/> callers sending
/// batches of <see cref="ItemsPerBatch"/> weight changes back to back, counted in items per second.
/// </summary>
public sealed record BatchResult(
    int BulkItems,
    bool Synced,
    double BulkAnsweredMs,
    double BulkLastAckMs,
    bool BulkHeld,
    int Callers,
    int ItemsPerBatch,
    double Seconds,
    long Batches,
    long Failures,
    double ItemsPerSecond,
    LatencySummary BatchLatency,
    IReadOnlyList<string> Errors);
