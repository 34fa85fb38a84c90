namespace MarchProxy.Alb.Fleet;

/// <summary>Which live members ACKed a version, which did not (module id and the version they ACKed), and whether time ran out.</summary>
public sealed record FleetAckOutcome(IReadOnlyList<string> Acked, IReadOnlyList<string> Pending, bool TimedOut);
