namespace MarchProxy.Alb.Fleet;

/// <summary>The value of a member key: what one ALB serves, what its xDS nodes ACKed, and its health.</summary>
public sealed record FleetMember
{
    public required string ModuleId { get; init; }

    public long AppliedVersion { get; init; }

    public long AckedVersion { get; init; }

    /// <summary>"ready" or "not_ready".</summary>
    public string Health { get; init; } = "ready";

    public bool StoreConnected { get; init; } = true;
}
