using MarchProxy.Api.V1;

namespace MarchProxy.Cli.Config;

/// <summary>A route's HashPolicy list onto the API's hash_policy, with the ALB's reading of the file.</summary>
public static class HashPolicyMapper
{
    public static IEnumerable<HashPolicy> Map(string path, List<FileHashPolicy?> policies, List<FileViolation> violations)
    {
        for (var i = 0; i < policies.Count; i++)
        {
            var policy = policies[i];
            var kinds = (policy?.Header is null ? 0 : 1) + (policy?.Cookie is null ? 0 : 1) + (policy?.SourceIp == true ? 1 : 0);
            if (policy is null || kinds != 1)
            {
                violations.Add(new FileViolation($"{path}:{i}", "set exactly one of Header, Cookie and SourceIp"));
                continue;
            }

            var api = new HashPolicy
            {
                Terminal = policy.Terminal,
                CookieTtlSeconds = policy.CookieTtl is { } ttl ? (uint)Math.Ceiling(Math.Max(0, ttl.TotalSeconds)) : 0,
                CookiePath = policy.CookiePath ?? string.Empty,
            };
            if (policy.Header is { } header)
            {
                api.Header = header;
            }
            else if (policy.Cookie is { } cookie)
            {
                api.Cookie = cookie;
            }
            else
            {
                api.SourceIp = true;
            }

            yield return api;
        }
    }
}
