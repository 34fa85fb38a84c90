using System.Text.RegularExpressions;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Maps the model's field paths (<c>routes[web].match.regex</c>) onto the fields of one request
/// (<c>route.regex</c>), so that every error names what the caller sent. Paths about other resources
/// are kept as they are.
/// </summary>
public sealed partial class RequestFields
{
    private readonly string _root;
    private readonly Func<string, string?> _mapRest;

    private RequestFields(string root, Func<string, string?> mapRest)
    {
        _root = root;
        _mapRest = mapRest;
    }

    /// <summary>For UpsertRoute: <c>routes[name]…</c> → <c>route…</c>; header indexes become the header names sent.</summary>
    public static RequestFields ForRoute(RouteSpec? route)
    {
        var headers = route?.Match.Headers.IsDefault == false ? route.Match.Headers.Select(h => h.Name).ToArray() : [];
        return new RequestFields(ConfigValidator.RoutePath(route?.Name ?? string.Empty), rest => "route" + RouteField(rest, headers));
    }

    /// <summary>For UpsertRoute, before the request is mapped.</summary>
    public static RequestFields ForRoute(RouteConfig? route) => ForRoute(route is null
        ? null
        : new RouteSpec { Name = route.Name, Match = new RouteMatchSpec { Headers = [.. route.Headers.Keys.Order(StringComparer.Ordinal).Select(k => new HeaderMatchSpec(k, string.Empty))] } });

    /// <summary>For UpsertCluster: <c>clusters[name]…</c> → <c>cluster…</c>, with the API's millisecond field names.</summary>
    public static RequestFields ForCluster(string name) => new(ConfigValidator.ClusterPath(name), rest => "cluster" + ClusterField(rest));

    /// <summary>For SetTrafficWeight: the route's backends → <c>weights[i].backend_name</c>, <c>weights[i].weight</c>.</summary>
    public static RequestFields ForWeights(string routeName) =>
        new(ConfigValidator.RoutePath(routeName), rest => rest.StartsWith(".backends", StringComparison.Ordinal) ? BackendsField(rest, "weights") : null);

    /// <summary>For ApplyRateLimit: the route's rate limit → <c>config.requests_per_second</c>, <c>config.burst_size</c>.</summary>
    public static RequestFields ForRateLimit(string routeName) => new(ConfigValidator.RoutePath(routeName), RateLimitField);

    /// <summary>The request field for <paramref name="modelPath"/>; the model path itself when it is about something else.</summary>
    public string Map(string modelPath)
    {
        if (!modelPath.StartsWith(_root, StringComparison.Ordinal)
            || (modelPath.Length > _root.Length && modelPath[_root.Length] != '.'))
        {
            return modelPath;
        }

        return _mapRest(modelPath[_root.Length..]) ?? modelPath;
    }

    public IEnumerable<FieldViolation> Map(IEnumerable<ValidationError> errors) =>
        errors.Select(e => new FieldViolation(Map(e.Path), e.Message));

    private static string RouteField(string rest, string[] headers)
    {
        if (HeaderIndex().Match(rest) is { Success: true } header)
        {
            var index = int.Parse(header.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return index < headers.Length ? $".headers[{headers[index]}]" : ".headers";
        }

        return rest switch
        {
            ".match.prefix" or ".match.path" or ".match.regex" => rest[".match".Length..],
            ".match" => string.Empty,
            ".cluster" => ".cluster_name",
            ".timeout" => ".timeout_seconds",
            ".retry.per_try_timeout" => ".retry.per_try_timeout_ms",
            ".rate_limit.burst" => ".rate_limit.burst_size",
            _ when rest.StartsWith(".match.hosts", StringComparison.Ordinal) => rest[".match".Length..],
            _ when rest.StartsWith(".match.headers", StringComparison.Ordinal) => ".headers",
            _ when rest.StartsWith(".backends", StringComparison.Ordinal) => BackendsField(rest, ".weights"),
            _ when rest.EndsWith(".cookie_ttl", StringComparison.Ordinal) => rest + "_seconds",
            _ => rest,
        };
    }

    private static string BackendsField(string rest, string weights)
    {
        var field = weights + rest[".backends".Length..];
        return field.EndsWith(".cluster", StringComparison.Ordinal) ? field[..^".cluster".Length] + ".backend_name" : field;
    }

    private static string? RateLimitField(string rest) => rest switch
    {
        ".rate_limit" => "config",
        ".rate_limit.burst" => "config.burst_size",
        _ when rest.StartsWith(".rate_limit.", StringComparison.Ordinal) => "config" + rest[".rate_limit".Length..],
        _ => null,
    };

    private static string ClusterField(string rest) => rest switch
    {
        ".connect_timeout" or ".health_check.interval" or ".health_check.timeout" or ".outlier_detection.interval" or ".outlier_detection.base_ejection_time" => rest + "_ms",
        _ => rest,
    };

    [GeneratedRegex(@"^\.match\.headers\[(\d+)\]")]
    private static partial Regex HeaderIndex();
}
