using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Api;

/// <summary>The aggregated ACK state of one version over all node kinds.</summary>
public sealed record AckOutcome(AckStatus Status, IReadOnlyList<string> PendingNodes, bool TimedOut);
