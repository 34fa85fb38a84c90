using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// The route mutations of the API, as pure functions of the current state. Each checks what it
/// changes with the model validator and names every problem by its request field.
/// </summary>
public static class RouteMutations
{
    public static MutationOutcome Upsert(DesiredState state, RouteConfig? route)
    {
        var errors = new List<FieldViolation>();
        var spec = RouteRequestMapper.Map(route, state, errors);
        if (spec is null)
        {
            return MutationOutcome.Invalid(errors);
        }

        errors.AddRange(RequestFields.ForRoute(spec).Map(ConfigValidator.ValidateRoute(spec, state)));
        if (errors.Count > 0)
        {
            return MutationOutcome.Invalid(errors);
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
            : MutationOutcome.NotFound($"route {ValidationText.Quote(name)} does not exist");
    }

    /// <summary>Sets the route's local rate limit; <c>enabled = false</c> removes it.</summary>
    public static MutationOutcome ApplyRateLimit(DesiredState state, RateLimitRequest request)
    {
        var errors = new List<FieldViolation>();
        if (request.RouteName.Length == 0)
        {
            errors.Add(new FieldViolation("route_name", "is required"));
        }

        if (request.Config is null)
        {
            errors.Add(new FieldViolation("config", "is required"));
        }

        var limit = RouteRequestMapper.MapRateLimit(request.Config);
        var model = new List<ValidationError>();
        ConfigValidator.ValidateRateLimit(ConfigValidator.RoutePath(request.RouteName) + ".rate_limit", limit, model);
        errors.AddRange(RequestFields.ForRateLimit(request.RouteName).Map(model));
        if (errors.Count > 0)
        {
            return MutationOutcome.Invalid(errors);
        }

        if (!state.Routes.TryGetValue(request.RouteName, out var route))
        {
            return MutationOutcome.NotFound($"route {ValidationText.Quote(request.RouteName)} does not exist");
        }

        var message = limit is null
            ? $"rate limit of route '{route.Name}' removed"
            : $"rate limit of route '{route.Name}' set to {limit.RequestsPerSecond} requests per second, burst {limit.Burst}";
        return MutationOutcome.Changed(state.WithRoute(route with { RateLimit = limit }), message, ResourceRef.Route(route.Name));
    }

    /// <summary>Replaces the route's weighted backends; each backend is an existing cluster.</summary>
    public static MutationOutcome SetTrafficWeight(DesiredState state, TrafficWeightRequest request)
    {
        var errors = new List<FieldViolation>();
        if (request.RouteName.Length == 0)
        {
            errors.Add(new FieldViolation("route_name", "is required"));
        }

        var backends = RouteRequestMapper.ToBackends(request.Weights);
        if (backends.IsEmpty)
        {
            errors.Add(new FieldViolation("weights", "at least one weight is required"));
        }
        else
        {
            var model = new List<ValidationError>();
            ConfigValidator.ValidateBackends(ConfigValidator.RoutePath(request.RouteName) + ".backends", backends, state, model);
            errors.AddRange(RequestFields.ForWeights(request.RouteName).Map(model));
        }

        if (errors.Count > 0)
        {
            return MutationOutcome.Invalid(errors);
        }

        if (!state.Routes.TryGetValue(request.RouteName, out var route))
        {
            return MutationOutcome.NotFound($"route {ValidationText.Quote(request.RouteName)} does not exist");
        }

        var message = $"weights of route '{route.Name}' set to {string.Join(", ", backends.Select(b => $"{b.Cluster}={b.Weight}"))}";
        return MutationOutcome.Changed(state.WithRoute(route with { Backends = backends }), message, ResourceRef.Route(route.Name));
    }
}
