namespace MarchProxy.Load.Results;

/// <summary>Read RPCs against grpc.health.v1 Check in the same host process, same callers and connections.</summary>
public sealed record ReadRatioResult(int Callers, int Connections, double SecondsEach, double HealthRps, double GetStatusRps, double GetRoutesRps, double GetStatusRatio, double GetRoutesRatio, long Failures);
