namespace MarchProxy.Alb.Fleet;

/// <summary>
/// Whether this ALB is ready, as its member key reports it. Owned here so that the fleet does not
/// depend on the readiness probe, which itself reads the fleet's store health; the host wires the probe in.
/// </summary>
public interface IMemberReadiness
{
    bool IsReady { get; }
}
