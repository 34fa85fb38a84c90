using System.Net;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Checks <see cref="AlbOptions"/> at start. Every message names the environment variable and the
/// configuration key, e.g. "GRPC_PORT (Alb:GrpcPort) must be 0-65535, got 70000". Port 0 means "any
/// free port" (used by tests).
/// </summary>
public sealed class AlbOptionsValidator : IValidateOptions<AlbOptions>
{
    public ValidateOptionsResult Validate(string? name, AlbOptions options)
    {
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(options.ModuleId))
        {
            errors.Add($"{Name("MODULE_ID", nameof(AlbOptions.ModuleId))} must not be empty");
        }

        var ports = new (string Variable, string Key, int Value)[]
        {
            ("GRPC_PORT", nameof(AlbOptions.GrpcPort), options.GrpcPort),
            ("XDS_PORT", nameof(AlbOptions.XdsPort), options.XdsPort),
            ("HEALTH_PORT", nameof(AlbOptions.HealthPort), options.HealthPort),
            ("METRICS_PORT", nameof(AlbOptions.MetricsPort), options.MetricsPort),
        };
        foreach (var (variable, key, value) in ports)
        {
            if (value is < 0 or > 65535)
            {
                errors.Add($"{Name(variable, key)} must be 0-65535, got {value}");
            }
        }

        foreach (var clash in ports.Where(p => p.Value > 0).GroupBy(p => p.Value).Where(g => g.Count() > 1))
        {
            errors.Add($"{string.Join(" and ", clash.Select(p => Name(p.Variable, p.Key)))} must differ, all are {clash.Key}");
        }

        CheckAddress(errors, "GRPC_BIND", nameof(AlbOptions.GrpcBind), options.GrpcBind);
        CheckAddress(errors, "XDS_BIND", nameof(AlbOptions.XdsBind), options.XdsBind);
        CheckAddress(errors, "HEALTH_BIND", nameof(AlbOptions.HealthBind), options.HealthBind);
        CheckAddress(errors, "METRICS_BIND", nameof(AlbOptions.MetricsBind), options.MetricsBind);

        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add($"{Name("DATA_DIR", nameof(AlbOptions.DataDir))} must not be empty");
        }

        if (!string.Equals(options.StateStore, "file", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.StateStore, "etcd", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Name("STATE_STORE", nameof(AlbOptions.StateStore))} must be file or etcd, got '{options.StateStore}'");
        }

        if (options.AckTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Name(null, nameof(AlbOptions.AckTimeout))} must be positive, got {options.AckTimeout}");
        }

        if (options.ShutdownTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Name("SHUTDOWN_TIMEOUT", nameof(AlbOptions.ShutdownTimeout))} must be positive, got {options.ShutdownTimeout}");
        }

        if (!string.Equals(options.LogFormat, "json", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.LogFormat, "text", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Name("LOG_FORMAT", nameof(AlbOptions.LogFormat))} must be json or text, got '{options.LogFormat}'");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckAddress(List<string> errors, string variable, string key, string value)
    {
        if (!IsBindableAddress(value))
        {
            errors.Add($"{Name(variable, key)} must be an IP address or 'localhost', got '{value}'");
        }
    }

    /// <summary>An IP literal or "localhost".</summary>
    public static bool IsBindableAddress(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && (IPAddress.TryParse(value, out _) || string.Equals(value, "localhost", StringComparison.OrdinalIgnoreCase));

    private static string Name(string? variable, string key) =>
        variable is null ? $"{AlbOptions.SectionName}:{key}" : $"{variable} ({AlbOptions.SectionName}:{key})";
}
