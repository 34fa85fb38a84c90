using System.Net;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Configuration;

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

        CheckTls(errors, options);
        CheckLimits(errors, options);

        if (!string.Equals(options.LogFormat, "json", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.LogFormat, "text", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Name("LOG_FORMAT", nameof(AlbOptions.LogFormat))} must be json or text, got '{options.LogFormat}'");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckTls(List<string> errors, AlbOptions options)
    {
        if (options.ApiTlsClientCertificate != ClientCertificateMode.None)
        {
            if (!options.ApiTls)
            {
                errors.Add($"{Name("API_TLS_CLIENT_CERTIFICATE", nameof(AlbOptions.ApiTlsClientCertificate))} needs API_TLS (Alb:ApiTls) true");
            }

            if (string.IsNullOrWhiteSpace(options.ApiTlsClientCaFile))
            {
                errors.Add($"{Name("API_TLS_CLIENT_CA_FILE", nameof(AlbOptions.ApiTlsClientCaFile))} must be set when API_TLS_CLIENT_CERTIFICATE is {options.ApiTlsClientCertificate}");
            }
        }

        if (options.XdsTls && string.IsNullOrWhiteSpace(options.XdsTlsCertFile))
        {
            errors.Add($"{Name("XDS_TLS_CERT_FILE", nameof(AlbOptions.XdsTlsCertFile))} must be set when XDS_TLS is true");
        }

        if (options.XdsTlsClientCertificate != ClientCertificateMode.None)
        {
            if (!options.XdsTls)
            {
                errors.Add($"{Name("XDS_TLS_CLIENT_CERTIFICATE", nameof(AlbOptions.XdsTlsClientCertificate))} needs XDS_TLS (Alb:XdsTls) true");
            }

            if (string.IsNullOrWhiteSpace(options.XdsTlsClientCaFile))
            {
                errors.Add($"{Name("XDS_TLS_CLIENT_CA_FILE", nameof(AlbOptions.XdsTlsClientCaFile))} must be set when XDS_TLS_CLIENT_CERTIFICATE is {options.XdsTlsClientCertificate}");
            }
        }
    }

    private static void CheckLimits(List<string> errors, AlbOptions options)
    {
        if (options.MaxConnections < 1)
        {
            errors.Add($"{Name("MAX_CONNECTIONS", nameof(AlbOptions.MaxConnections))} must be at least 1, got {options.MaxConnections}");
        }

        if (options.XdsMaxConnections < 1)
        {
            errors.Add($"{Name("XDS_MAX_CONNECTIONS", nameof(AlbOptions.XdsMaxConnections))} must be at least 1, got {options.XdsMaxConnections}");
        }

        var durations = new (string Variable, string Key, TimeSpan Value)[]
        {
            ("KEEPALIVE_TIMEOUT", nameof(AlbOptions.KeepAliveTimeout), options.KeepAliveTimeout),
            ("REQUEST_HEADERS_TIMEOUT", nameof(AlbOptions.RequestHeadersTimeout), options.RequestHeadersTimeout),
            ("HTTP2_PING_DELAY", nameof(AlbOptions.Http2PingDelay), options.Http2PingDelay),
            ("HTTP2_PING_TIMEOUT", nameof(AlbOptions.Http2PingTimeout), options.Http2PingTimeout),
        };
        foreach (var (variable, key, value) in durations)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{Name(variable, key)} must be positive, got {value}");
            }
        }
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
