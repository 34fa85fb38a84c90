using MarchProxy.ControlPlane.Re2;

namespace MarchProxy.ControlPlane.Model;

/// <summary>The match of a route: path specifier (prefix, exact path or RE2 regex), headers and hosts.</summary>
internal static class RouteMatchValidation
{
    public static void Validate(string path, RouteMatchSpec? match, ICollection<ValidationError> errors)
    {
        if (match is null)
        {
            errors.Add(new ValidationError(path, "must not be null"));
            return;
        }

        // The second and later specifiers are the wrong ones: the message names the first.
        string? first = null;
        foreach (var (name, value) in new[] { ("prefix", match.PathPrefix), ("path", match.Path), ("regex", match.Regex) })
        {
            if (value is null)
            {
                continue;
            }

            if (first is not null)
            {
                errors.Add(new ValidationError($"{path}.{name}", $"set only one of prefix, path and regex ({first} is already set)"));
            }

            first ??= name;
        }

        if (match.PathPrefix is { } prefix)
        {
            ValidatePath(path + ".prefix", prefix, errors);
        }

        if (match.Path is { } exact)
        {
            ValidatePath(path + ".path", exact, errors);
        }

        if (match.Regex is { } regex)
        {
            ValidateRegex(path + ".regex", regex, errors);
        }

        ValidateHeaders(path + ".headers", match.Headers.IsDefault ? [] : match.Headers, errors);
        ValidateHosts(path + ".hosts", match.Hosts.IsDefault ? [] : match.Hosts, errors);
    }

    /// <summary>A request path: starts with '/', bounded, no control characters.</summary>
    public static void ValidatePath(string path, string value, ICollection<ValidationError> errors)
    {
        if (!value.StartsWith('/'))
        {
            errors.Add(new ValidationError(path, $"{ValidationText.Quote(value)} must start with '/'"));
        }
        else if (value.Length > ModelLimits.MaxPathLength)
        {
            errors.Add(new ValidationError(path, $"must be at most {ModelLimits.MaxPathLength} characters (has {value.Length})"));
        }
        else if (TextRules.HasControlCharacters(value))
        {
            errors.Add(new ValidationError(path, $"{ValidationText.Quote(value)} must not contain control characters"));
        }
    }

    /// <summary>RE2 syntax, as Envoy and gRPC compile it, within Envoy's program-size limit.</summary>
    private static void ValidateRegex(string path, string regex, ICollection<ValidationError> errors)
    {
        if (regex.Length == 0)
        {
            errors.Add(new ValidationError(path, "must not be empty"));
            return;
        }

        if (regex.Length > ModelLimits.MaxRegexLength)
        {
            errors.Add(new ValidationError(path, $"must be at most {ModelLimits.MaxRegexLength} characters (has {regex.Length})"));
            return;
        }

        var verdict = Re2Syntax.Check(regex);
        if (!verdict.IsValid)
        {
            errors.Add(new ValidationError(path, $"{ValidationText.Quote(regex)} {ValidationText.Truncate(verdict.Message, 200)}"));
        }
    }

    private static void ValidateHeaders(string path, IReadOnlyList<HeaderMatchSpec?> headers, ICollection<ValidationError> errors)
    {
        if (headers.Count > ModelLimits.MaxHeadersPerRoute)
        {
            errors.Add(new ValidationError(path, $"at most {ModelLimits.MaxHeadersPerRoute} headers (has {headers.Count})"));
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            var headerPath = ConfigValidator.Index(path, i);
            var header = headers[i];
            if (header is null)
            {
                errors.Add(new ValidationError(headerPath, "must not be null"));
                continue;
            }

            if (header.Name is null || header.Name.Length > ModelLimits.MaxHeaderNameLength || !TextRules.IsHeaderName(header.Name))
            {
                errors.Add(new ValidationError(headerPath + ".name", $"{ValidationText.Quote(header.Name)} is not a header name (a token of at most {ModelLimits.MaxHeaderNameLength} characters)"));
            }
            else if (!names.Add(header.Name))
            {
                errors.Add(new ValidationError(headerPath + ".name", $"header {ValidationText.Quote(header.Name)} is listed twice"));
            }

            if (header.Value is null)
            {
                errors.Add(new ValidationError(headerPath + ".value", "must not be null"));
            }
            else if (header.Value.Length > ModelLimits.MaxHeaderValueLength)
            {
                errors.Add(new ValidationError(headerPath + ".value", $"must be at most {ModelLimits.MaxHeaderValueLength} characters (has {header.Value.Length})"));
            }
            else if (TextRules.HasControlCharacters(header.Value, allowTab: true))
            {
                // CR, LF and NUL can never be in a header value; Envoy would never match it.
                errors.Add(new ValidationError(headerPath + ".value", $"{ValidationText.Quote(header.Value)} must not contain control characters (CR, LF, NUL, ...)"));
            }
        }
    }

    private static void ValidateHosts(string path, IReadOnlyList<string?> hosts, ICollection<ValidationError> errors)
    {
        if (hosts.Count > ModelLimits.MaxHostsPerRoute)
        {
            errors.Add(new ValidationError(path, $"at most {ModelLimits.MaxHostsPerRoute} hosts (has {hosts.Count})"));
            return;
        }

        for (var i = 0; i < hosts.Count; i++)
        {
            if (!TextRules.IsDomainPattern(hosts[i]))
            {
                errors.Add(new ValidationError(
                    ConfigValidator.Index(path, i),
                    $"{ValidationText.Quote(hosts[i])} is not a valid host (e.g. example.com, *.example.com, *; at most {ModelLimits.MaxHostLength} characters, a '*' only at the start or the end)"));
            }
        }
    }
}
