using System.Globalization;

namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// The one place of every model rule. It checks a <see cref="DesiredState"/> (or one resource of it)
/// and returns every error, each with the path of the field it is about (<c>routes[api].match.regex</c>,
/// <c>clusters[web].endpoints[2].port</c>, <c>listeners[public].port</c>); the API and the standalone
/// config map these paths onto their own field names. An empty result means valid.
/// </summary>
/// <remarks>
/// Duplicate route and cluster names cannot occur inside a <see cref="DesiredState"/> (its collections
/// are keyed by name); an input that arrives as a list reports them itself.
/// </remarks>
public static class ConfigValidator
{
    /// <summary>The longest name a route, cluster or listener may have.</summary>
    public const int MaxNameLength = ModelLimits.MaxNameLength;

    /// <summary>Returns every error in <paramref name="state"/>; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationError> Validate(DesiredState state, ValidationOptions? options = null)
    {
        options ??= ValidationOptions.StructureOnly;
        var errors = new List<ValidationError>();
        Count("listeners", state.Listeners.Count, ModelLimits.MaxListeners, errors);
        Count("clusters", state.Clusters.Count, ModelLimits.MaxClusters, errors);
        Count("routes", state.Routes.Count, ModelLimits.MaxRoutes, errors);

        foreach (var (key, listener) in state.Listeners)
        {
            ListenerValidation.Validate(Path("listeners", key), key, listener, options, errors);
        }

        ListenerValidation.ValidateDistinctPorts(state, errors);

        foreach (var (key, cluster) in state.Clusters)
        {
            ClusterValidation.Validate(Path("clusters", key), key, cluster, options, errors);
        }

        foreach (var (key, route) in state.Routes)
        {
            RouteValidation.Validate(Path("routes", key), key, route, state, errors);
        }

        return errors;
    }

    /// <summary>The errors of one route (paths start with <see cref="RoutePath"/>), with its clusters looked up in <paramref name="state"/>.</summary>
    public static IReadOnlyList<ValidationError> ValidateRoute(RouteSpec route, DesiredState state)
    {
        var errors = new List<ValidationError>();
        RouteValidation.Validate(RoutePath(route.Name), route.Name, route, state, errors);
        return errors;
    }

    /// <summary>The errors of one cluster (paths start with <see cref="ClusterPath"/>).</summary>
    public static IReadOnlyList<ValidationError> ValidateCluster(ClusterSpec cluster, ValidationOptions? options = null)
    {
        var errors = new List<ValidationError>();
        ClusterValidation.Validate(ClusterPath(cluster.Name), cluster.Name, cluster, options ?? ValidationOptions.StructureOnly, errors);
        return errors;
    }

    /// <summary>Weighted backends (blue/green): existing, distinct clusters, weights 0-1000 adding up to more than 0.</summary>
    public static void ValidateBackends(string path, IReadOnlyList<WeightedBackend?> backends, DesiredState state, ICollection<ValidationError> errors) =>
        RouteValidation.ValidateBackends(path, backends, state, errors);

    /// <summary>An enabled local rate limit: 1-1,000,000 requests per second and burst.</summary>
    public static void ValidateRateLimit(string path, RateLimitSpec? limit, ICollection<ValidationError> errors) =>
        RouteValidation.ValidateRateLimit(path, limit, errors);

    public static string RoutePath(string name) => Path("routes", name);

    public static string ClusterPath(string name) => Path("clusters", name);

    public static string ListenerPath(string name) => Path("listeners", name);

    /// <summary>
    /// Checks that <paramref name="name"/> matches <c>[A-Za-z0-9._-]{1,128}</c>; adds an error at
    /// <paramref name="path"/> when it does not. Returns true when the name is valid.
    /// </summary>
    public static bool ValidateName(string path, string? name, ICollection<ValidationError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new ValidationError(path, "must not be empty"));
            return false;
        }

        if (name.Length > MaxNameLength)
        {
            errors.Add(new ValidationError(path, $"must be at most {MaxNameLength} characters (has {name.Length})"));
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                errors.Add(new ValidationError(path, $"{ValidationText.Quote(name)} may only contain letters, digits, '.', '_' and '-'"));
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks that <paramref name="port"/> is in 1–65535.</summary>
    public static bool ValidatePort(string path, int port, ICollection<ValidationError> errors)
    {
        if (port is >= 1 and <= 65535)
        {
            return true;
        }

        errors.Add(new ValidationError(path, $"must be between 1 and 65535 (is {port.ToString(CultureInfo.InvariantCulture)})"));
        return false;
    }

    internal static void ValidateKey(string path, string key, string name, ICollection<ValidationError> errors)
    {
        if (ValidateName(path + ".name", name, errors) && !string.Equals(key, name, StringComparison.Ordinal))
        {
            errors.Add(new ValidationError(path + ".name", $"{ValidationText.Quote(name)} does not match its key {ValidationText.Quote(key)}"));
        }
    }

    internal static string Path(string collection, string key) => $"{collection}[{key}]";

    internal static string Index(string path, int index) => $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";

    private static void Count(string collection, int count, int max, List<ValidationError> errors)
    {
        if (count > max)
        {
            errors.Add(new ValidationError(collection, $"at most {max} {collection} (has {count})"));
        }
    }
}
