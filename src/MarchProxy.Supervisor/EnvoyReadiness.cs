namespace MarchProxy.Supervisor;

/// <summary>The answer of <c>GET /ready</c>: 200 "LIVE", or 503 with the state name.</summary>
public sealed record EnvoyReadiness(bool IsLive, string State);
