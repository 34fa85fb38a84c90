namespace MarchProxy.ControlPlane.Model;

/// <summary>The consistent-hashing keys of a route.</summary>
internal static class HashPolicyValidation
{
    public static void Validate(string path, IReadOnlyList<HashPolicySpec?> policies, ICollection<ValidationError> errors)
    {
        if (policies.Count > ModelLimits.MaxHashPolicies)
        {
            errors.Add(new ValidationError(path, $"at most {ModelLimits.MaxHashPolicies} hash policies (has {policies.Count})"));
            return;
        }

        for (var i = 0; i < policies.Count; i++)
        {
            var policyPath = ConfigValidator.Index(path, i);
            var policy = policies[i];
            if (policy is null)
            {
                errors.Add(new ValidationError(policyPath, "must not be null"));
                continue;
            }

            switch (policy.Kind)
            {
                case HashPolicyKind.Header:
                    if (policy.Name is null || policy.Name.Length > ModelLimits.MaxHeaderNameLength || !TextRules.IsHeaderName(policy.Name))
                    {
                        errors.Add(new ValidationError(policyPath + ".header", $"{ValidationText.Quote(policy.Name)} is not a header name"));
                    }

                    break;
                case HashPolicyKind.Cookie:
                    ValidateCookie(policyPath, policy, errors);
                    break;
                case HashPolicyKind.SourceIp:
                    break;
                default:
                    errors.Add(new ValidationError(policyPath, $"unknown hash policy kind {(int)policy.Kind}"));
                    break;
            }

            if (policy.Kind != HashPolicyKind.Cookie && (policy.CookieTtl is not null || policy.CookiePath is not null))
            {
                errors.Add(new ValidationError(policyPath, "a cookie TTL or path only goes with a cookie"));
            }
        }
    }

    private static void ValidateCookie(string path, HashPolicySpec policy, ICollection<ValidationError> errors)
    {
        // RFC 6265: a cookie name is a token.
        if (policy.Name is null || policy.Name.Length > ModelLimits.MaxHeaderNameLength || !TextRules.IsToken(policy.Name))
        {
            errors.Add(new ValidationError(path + ".cookie", $"{ValidationText.Quote(policy.Name)} is not a cookie name (a token)"));
        }

        if (policy.CookieTtl is { } ttl && (ttl < TimeSpan.Zero || ttl > ModelLimits.MaxCookieTtl))
        {
            errors.Add(new ValidationError(path + ".cookie_ttl", $"must be between 0 and {ModelLimits.MaxCookieTtl.TotalDays} days (is {ttl})"));
        }

        if (policy.CookiePath is { } cookiePath)
        {
            RouteMatchValidation.ValidatePath(path + ".cookie_path", cookiePath, errors);
            if (cookiePath.Contains(';', StringComparison.Ordinal))
            {
                errors.Add(new ValidationError(path + ".cookie_path", "must not contain ';'"));
            }
        }
    }
}
