namespace MarchProxy.Alb.State;

/// <summary>The kinds of desired-state entries that the API can change.</summary>
public enum ResourceKind
{
    Route = 0,
    Cluster = 1,
}
