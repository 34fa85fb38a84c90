using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// The Reload precedence rule: the file's listeners, routes and clusters replace the current ones,
/// except the routes and clusters that the API has created, changed or deleted, which keep the API's
/// version (or stay deleted).
/// </summary>
public static class ReloadMerge
{
    public static DesiredState Merge(DesiredState fromFile, StoredState current)
    {
        var result = fromFile;
        foreach (var name in current.Ownership.Routes)
        {
            result = current.State.Routes.TryGetValue(name, out var route) ? result.WithRoute(route) : result.WithoutRoute(name);
        }

        foreach (var name in current.Ownership.Clusters)
        {
            result = current.State.Clusters.TryGetValue(name, out var cluster) ? result.WithCluster(cluster) : result.WithoutCluster(name);
        }

        return result;
    }
}
