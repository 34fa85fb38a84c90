namespace MarchProxy.Load.Results;

/// <summary>Serial latencies: the floor a mutation cannot go below.</summary>
public sealed record UnaryFloorResult(LatencySummary HealthCheck, LatencySummary GetStatus, LatencySummary SetTrafficWeight, LatencySummary Fsync);
