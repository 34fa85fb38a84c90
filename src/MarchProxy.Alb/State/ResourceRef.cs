namespace MarchProxy.Alb.State;

/// <summary>A route or cluster by name.</summary>
public sealed record ResourceRef(ResourceKind Kind, string Name)
{
    public static ResourceRef Route(string name) => new(ResourceKind.Route, name);

    public static ResourceRef Cluster(string name) => new(ResourceKind.Cluster, name);
}
