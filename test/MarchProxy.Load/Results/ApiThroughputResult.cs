namespace MarchProxy.Load.Results;

/// <summary>Acknowledged (successful) mutations per second with concurrent callers.</summary>
public sealed record ApiThroughputResult(int Callers, int Connections, double Seconds, long Mutations, long Failures, double PerSecond, LatencySummary Latency, IReadOnlyList<string> Errors);
