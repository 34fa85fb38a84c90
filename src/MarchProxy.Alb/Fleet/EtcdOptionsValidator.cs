using MarchProxy.Alb.Configuration;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// Checks <see cref="EtcdOptions"/> at start when STATE_STORE is etcd; every message names the
/// environment variable and the key.
/// </summary>
public sealed class EtcdOptionsValidator(IOptions<AlbOptions> alb) : IValidateOptions<EtcdOptions>
{
    public ValidateOptionsResult Validate(string? name, EtcdOptions options)
    {
        if (!string.Equals(StateStore(), "etcd", StringComparison.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        var endpoints = options.Endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (endpoints.Length == 0)
        {
            errors.Add($"{Name("ETCD_ENDPOINTS", nameof(EtcdOptions.Endpoints))} must name at least one URL");
        }

        foreach (var endpoint in endpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Port <= 0)
            {
                errors.Add($"{Name("ETCD_ENDPOINTS", nameof(EtcdOptions.Endpoints))} must be http:// or https:// URLs with a port, got '{endpoint}'");
            }
        }

        if (!options.Prefix.StartsWith('/') || options.Prefix.Length < 2)
        {
            errors.Add($"{Name("ETCD_PREFIX", nameof(EtcdOptions.Prefix))} must start with '/' and name something, got '{options.Prefix}'");
        }

        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
        {
            errors.Add($"{Name("ETCD_USERNAME", nameof(EtcdOptions.Username))} and {Name("ETCD_PASSWORD", nameof(EtcdOptions.Password))} must be set together");
        }

        if (string.IsNullOrEmpty(options.CertFile) != string.IsNullOrEmpty(options.KeyFile))
        {
            errors.Add($"{Name("ETCD_CERT_FILE", nameof(EtcdOptions.CertFile))} and {Name("ETCD_KEY_FILE", nameof(EtcdOptions.KeyFile))} must be set together");
        }

        foreach (var (variable, key, path) in new[]
        {
            ("ETCD_CA_FILE", nameof(EtcdOptions.CaFile), options.CaFile),
            ("ETCD_CERT_FILE", nameof(EtcdOptions.CertFile), options.CertFile),
            ("ETCD_KEY_FILE", nameof(EtcdOptions.KeyFile), options.KeyFile),
        })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
            {
                errors.Add($"{Name(variable, key)}: file '{path}' does not exist");
            }
        }

        if (options.MemberTtl < TimeSpan.FromSeconds(2))
        {
            errors.Add($"{EtcdOptions.SectionName}:{nameof(EtcdOptions.MemberTtl)} must be at least 2s, got {options.MemberTtl}");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{EtcdOptions.SectionName}:{nameof(EtcdOptions.RequestTimeout)} must be positive, got {options.RequestTimeout}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Name(string variable, string key) => $"{variable} ({EtcdOptions.SectionName}:{key})";

    /// <summary>
    /// The store setting, or null when the host's own settings are invalid: their validator reports
    /// that, and one start failure must carry one message.
    /// </summary>
    private string? StateStore()
    {
        try
        {
            return alb.Value.StateStore;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}
