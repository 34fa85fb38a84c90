using MarchProxy.Api.V1;
using MarchProxy.Config;

namespace MarchProxy.Cli.Config;

/// <summary>A route's HashPolicy list onto the API's hash_policy, with the ALB's reading of the file.</summary>
public static class HashPolicyMapper
{
    public static IEnumerable<HashPolicy> Map(string path, List<FileHashPolicy?> policies, List<FileViolation> violations)
    {
        for (var i = 0; i < policies.Count; i++)
        {
            var policy = policies[i];
            if (!FileHashPolicy.HasOneKey(policy))
            {
                violations.Add(new FileViolation($"{path}:{i}", FileHashPolicy.OneKeyRule));
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
