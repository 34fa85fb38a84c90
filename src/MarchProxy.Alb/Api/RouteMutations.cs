using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>The route mutations of the API, as pure functions of the current state.</summary>
public static class RouteMutations
{
    public static MutationOutcome Upsert(DesiredState state, RouteConfig? route)
    {
        var errors = new FieldErrors();
        var spec = RouteRequestMapper.Map("route", route, state, errors);
        if (spec is null)
        {
            return MutationOutcome.Invalid(errors.Items);
        }

        var verb = state.Routes.ContainsKey(spec.Name) ? "updated" : "created";
        var note = spec.Enabled ? string.Empty : " (disabled: enabled is false)";
        return MutationOutcome.Changed(state.WithRoute(spec), $"route '{spec.Name}' {verb}{note}", ResourceRef.Route(spec.Name));
    }

    public static MutationOutcome Delete(DesiredState state, string name)
    {
        if (name.Length == 0)
        {
            return MutationOutcome.Invalid([new FieldViolation("name", "is required")]);
        }

        return state.Routes.ContainsKey(name)
            ? MutationOutcome.Changed(state.WithoutRoute(name), $"route '{name}' deleted", ResourceRef.Route(name))
            : MutationOutcome.NotFound($"route '{name}' does not exist");
    }

    /// <summary>Sets the route's local rate limit; <c>enabled = false</c> removes it.</summary>
    public static MutationOutcome ApplyRateLimit(DesiredState state, RateLimitRequest request)
    {
        var errors = new FieldErrors();
        if (request.RouteName.Length == 0)
        {
            errors.Add("route_name", "is required");
        }

        if (request.Config is null)
        {
            errors.Add("config", "is required");
        }

        var limit = RouteRequestMapper.MapRateLimit("config", request.Config, errors);
        if (errors.Any)
        {
            return MutationOutcome.Invalid(errors.Items);
        }

        if (!state.Routes.TryGetValue(request.RouteName, out var route))
        {
            return MutationOutcome.NotFound($"route '{request.RouteName}' does not exist");
        }

        var message = limit is null
            ? $"rate limit of route '{route.Name}' removed"
            : $"rate limit of route '{route.Name}' set to {limit.RequestsPerSecond} requests per second, burst {limit.Burst}";
        return MutationOutcome.Changed(state.WithRoute(route with { RateLimit = limit }), message, ResourceRef.Route(route.Name));
    }

    /// <summary>Replaces the route's weighted backends; each backend is an existing cluster.</summary>
    public static MutationOutcome SetTrafficWeight(DesiredState state, TrafficWeightRequest request)
    {
        var errors = new FieldErrors();
        if (request.RouteName.Length == 0)
        {
            errors.Add("route_name", "is required");
        }

        RouteRequestMapper.CheckWeights("weights", request.Weights, state, errors);
        if (errors.Any)
        {
            return MutationOutcome.Invalid(errors.Items);
        }

        if (!state.Routes.TryGetValue(request.RouteName, out var route))
        {
            return MutationOutcome.NotFound($"route '{request.RouteName}' does not exist");
        }

        var backends = RouteRequestMapper.ToBackends(request.Weights);
        var message = $"weights of route '{route.Name}' set to {string.Join(", ", backends.Select(b => $"{b.Cluster}={b.Weight}"))}";
        return MutationOutcome.Changed(state.WithRoute(route with { Backends = backends }), message, ResourceRef.Route(route.Name));
    }
}
