namespace MarchProxy.Alb.Health;

/// <summary>Why the ALB is, or is not, ready. Serialised as the body of /readyz.</summary>
public sealed record ReadinessReport(
    bool Ready,
    bool SnapshotServed,
    long ConfigVersion,
    bool EnvoySupervised,
    string EnvoyState,
    bool EnvoyReady,
    IReadOnlyList<string> Reasons,
    string StateStore = "file",
    bool StateStoreConnected = true,
    string StateStoreError = "");
