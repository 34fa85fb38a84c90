using System.Globalization;

namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// Checks a <see cref="DesiredState"/> before it is translated. It collects every error, each with
/// the path of the field it is about (<c>routes[api].match.prefix</c>,
/// <c>clusters[web].endpoints[2].port</c>, <c>listeners[public].port</c>), and never stops at the
/// first. An empty result means the state is valid.
/// </summary>
/// <remarks>
/// Duplicate route and cluster names cannot occur inside a <see cref="DesiredState"/> (its
/// collections are keyed by name); an API that receives lists reports them itself and can reuse
/// <see cref="ValidateName"/> for the name syntax.
/// </remarks>
public static class ConfigValidator
{
    /// <summary>The longest name a route, cluster or listener may have.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Returns every error in <paramref name="state"/>; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationError> Validate(DesiredState state)
    {
        var errors = new List<ValidationError>();

        foreach (var (key, listener) in state.Listeners)
        {
            ListenerValidation.Validate(Path("listeners", key), key, listener, errors);
        }

        ListenerValidation.ValidateDistinctPorts(state, errors);

        foreach (var (key, cluster) in state.Clusters)
        {
            ClusterValidation.Validate(Path("clusters", key), key, cluster, errors);
        }

        foreach (var (key, route) in state.Routes)
        {
            RouteValidation.Validate(Path("routes", key), key, route, state, errors);
        }

        return errors;
    }

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
            if (!IsNameChar(c))
            {
                errors.Add(new ValidationError(path, $"'{name}' may only contain letters, digits, '.', '_' and '-'"));
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
            errors.Add(new ValidationError(path + ".name", $"'{name}' does not match its key '{key}'"));
        }
    }

    internal static void ValidateNotNegative(string path, TimeSpan? value, ICollection<ValidationError> errors)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add(new ValidationError(path, "must not be negative"));
        }
    }

    internal static void ValidatePositive(string path, TimeSpan value, ICollection<ValidationError> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(new ValidationError(path, "must be greater than zero"));
        }
    }

    internal static string Path(string collection, string key) => $"{collection}[{key}]";

    internal static string Index(string path, string member, int index) =>
        $"{path}.{member}[{index.ToString(CultureInfo.InvariantCulture)}]";

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
