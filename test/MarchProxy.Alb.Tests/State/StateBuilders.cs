using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.State;

/// <summary>Small model values and fakes for the state tests.</summary>
public static class StateBuilders
{
    public static ClusterSpec Cluster(string name, int port = 8080) => new() { Name = name, Endpoints = [new EndpointSpec("10.0.0.1", port)] };

    public static RouteSpec Route(string name, string cluster, string prefix = "/") =>
        new() { Name = name, Cluster = cluster, Match = new RouteMatchSpec { PathPrefix = prefix } };

    public static DesiredState Desired(params object[] items)
    {
        var state = DesiredState.Empty;
        foreach (var item in items)
        {
            state = item switch
            {
                ClusterSpec c => state.WithCluster(c),
                RouteSpec r => state.WithRoute(r),
                ListenerSpec l => state.WithListener(l),
                _ => throw new ArgumentException(item.ToString()),
            };
        }

        return state;
    }
}
