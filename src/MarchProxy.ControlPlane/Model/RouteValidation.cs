using System.Text.RegularExpressions;

namespace MarchProxy.ControlPlane.Model;

/// <summary>The route part of <see cref="ConfigValidator"/>.</summary>
internal static class RouteValidation
{
    public const int MaxBackendWeight = 1000;
    public const int MaxRetries = 10;

    /// <summary>Long expressions are refused before they are compiled (Envoy also caps RE2 program size).</summary>
    public const int MaxRegexLength = 1024;

    public static void Validate(string path, string key, RouteSpec route, DesiredState state, List<ValidationError> errors)
    {
        ConfigValidator.ValidateKey(path, key, route.Name, errors);
        ValidateMatch(path + ".match", route.Match, errors);
        ValidateAction(path, route, state, errors);
        ConfigValidator.ValidateNotNegative(path + ".timeout", route.Timeout, errors);

        if (route.Retry is { } retry)
        {
            if (retry.NumRetries is < 0 or > MaxRetries)
            {
                errors.Add(new ValidationError(path + ".retry.num_retries", $"must be between 0 and {MaxRetries} (is {retry.NumRetries})"));
            }

            ConfigValidator.ValidateNotNegative(path + ".retry.per_try_timeout", retry.PerTryTimeout, errors);
        }

        if (route.RateLimit is { Enabled: true } limit)
        {
            if (limit.RequestsPerSecond < 1)
            {
                errors.Add(new ValidationError(path + ".rate_limit.requests_per_second", $"must be at least 1 when the rate limit is enabled (is {limit.RequestsPerSecond})"));
            }

            if (limit.Burst < 1)
            {
                errors.Add(new ValidationError(path + ".rate_limit.burst", $"must be at least 1 when the rate limit is enabled (is {limit.Burst})"));
            }
        }
    }

    private static void ValidateMatch(string path, RouteMatchSpec? match, List<ValidationError> errors)
    {
        if (match is null)
        {
            errors.Add(new ValidationError(path, "must not be null"));
            return;
        }

        var specifiers = (match.PathPrefix is null ? 0 : 1) + (match.Path is null ? 0 : 1) + (match.Regex is null ? 0 : 1);
        if (specifiers > 1)
        {
            errors.Add(new ValidationError(path, "at most one of prefix, path and regex may be set"));
        }

        if (match.PathPrefix is { } prefix && !prefix.StartsWith('/'))
        {
            errors.Add(new ValidationError(path + ".prefix", $"'{prefix}' must start with '/'"));
        }

        if (match.Path is { } exact && !exact.StartsWith('/'))
        {
            errors.Add(new ValidationError(path + ".path", $"'{exact}' must start with '/'"));
        }

        if (match.Regex is { } regex)
        {
            ValidateRegex(path + ".regex", regex, errors);
        }

        var headers = match.Headers.IsDefault ? [] : match.Headers;
        for (var i = 0; i < headers.Length; i++)
        {
            var header = headers[i];
            if (header is null || !IsHeaderName(header.Name))
            {
                errors.Add(new ValidationError(ConfigValidator.Index(path, "headers", i) + ".name", $"'{header?.Name}' is not a valid header name"));
            }
            else if (header.Value is null)
            {
                errors.Add(new ValidationError(ConfigValidator.Index(path, "headers", i) + ".value", "must not be null"));
            }
        }

        var hosts = match.Hosts.IsDefault ? [] : match.Hosts;
        for (var i = 0; i < hosts.Length; i++)
        {
            if (!IsDomainPattern(hosts[i]))
            {
                errors.Add(new ValidationError(ConfigValidator.Index(path, "hosts", i), $"'{hosts[i]}' is not a valid host (a '*' may appear once, at the start or the end)"));
            }
        }
    }

    /// <summary>
    /// A syntax check with .NET's non-backtracking engine, which, like RE2, refuses backreferences
    /// and lookarounds. RE2 is still stricter in places (and spells named groups <c>(?P&lt;n&gt;)</c>),
    /// so Envoy or gRPC may NACK an expression that passes here.
    /// </summary>
    private static void ValidateRegex(string path, string regex, List<ValidationError> errors)
    {
        if (regex.Length == 0)
        {
            errors.Add(new ValidationError(path, "must not be empty"));
            return;
        }

        if (regex.Length > MaxRegexLength)
        {
            errors.Add(new ValidationError(path, $"must be at most {MaxRegexLength} characters (has {regex.Length})"));
            return;
        }

        try
        {
            _ = new Regex(regex, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            errors.Add(new ValidationError(path, $"'{regex}' is not a valid regular expression: {ex.Message}"));
        }
        catch (NotSupportedException ex)
        {
            errors.Add(new ValidationError(path, $"'{regex}' uses a construct RE2 does not support: {ex.Message}"));
        }
    }

    private static void ValidateAction(string path, RouteSpec route, DesiredState state, List<ValidationError> errors)
    {
        var backends = route.Backends.IsDefault ? [] : route.Backends;
        if (backends.IsEmpty)
        {
            if (string.IsNullOrEmpty(route.Cluster))
            {
                errors.Add(new ValidationError(path + ".cluster", "a route needs a cluster or weighted backends"));
            }
            else if (!state.Clusters.ContainsKey(route.Cluster))
            {
                errors.Add(new ValidationError(path + ".cluster", $"cluster '{route.Cluster}' does not exist"));
            }

            return;
        }

        var sum = 0L;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < backends.Length; i++)
        {
            var backendPath = ConfigValidator.Index(path, "backends", i);
            var backend = backends[i];
            if (backend is null)
            {
                errors.Add(new ValidationError(backendPath, "must not be null"));
                continue;
            }

            if (string.IsNullOrEmpty(backend.Cluster))
            {
                errors.Add(new ValidationError(backendPath + ".cluster", "must not be empty"));
            }
            else if (!state.Clusters.ContainsKey(backend.Cluster))
            {
                errors.Add(new ValidationError(backendPath + ".cluster", $"cluster '{backend.Cluster}' does not exist"));
            }
            else if (!names.Add(backend.Cluster))
            {
                errors.Add(new ValidationError(backendPath + ".cluster", $"cluster '{backend.Cluster}' is listed twice"));
            }

            if (backend.Weight is < 0 or > MaxBackendWeight)
            {
                errors.Add(new ValidationError(backendPath + ".weight", $"must be between 0 and {MaxBackendWeight} (is {backend.Weight})"));
            }
            else
            {
                sum += backend.Weight;
            }
        }

        if (sum == 0)
        {
            errors.Add(new ValidationError(path + ".backends", "the weights must add up to more than 0"));
        }
    }

    private static bool IsHeaderName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        // RFC 9110 token characters; a leading ':' allows pseudo-headers such as ":authority".
        var start = name[0] == ':' && name.Length > 1 ? 1 : 0;
        for (var i = start; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c) && "!#$%&'*+-.^_`|~".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDomainPattern(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > 255)
        {
            return false;
        }

        var stars = host.Count(c => c == '*');
        if (stars > 1 || (stars == 1 && host[0] != '*' && host[^1] != '*'))
        {
            return false;
        }

        return host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':' or '[' or ']' or '*' or '_');
    }
}
