using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MarchProxy.Alb.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// One Kestrel endpoint per port: the API and ADS (HTTP/2 only: gRPC clients and Envoy use h2c with
/// prior knowledge, or h2 over TLS), health and metrics (HTTP/1.1). Each connection is counted against
/// its endpoint's cap (<see cref="ConnectionLimit"/>) and tagged with its endpoint's role so that
/// <see cref="EndpointRoleMiddleware"/> can pin services to their ports. The idle, header and HTTP/2
/// PING timeouts close connections from clients that went away or never speak.
/// </summary>
/// <remarks>
/// WebApplication creates the server (and so runs this) while it is built, before the options
/// validators run at start. So the settings are bound here without validation, and an endpoint
/// with an invalid port or address (or a limit out of range) is skipped: the validator then stops the
/// start with a message that names the setting.
/// </remarks>
public sealed class KestrelEndpointSetup(
    IConfiguration configuration,
    ListenEndpoints endpoints,
    ApiCertificateLoader certificates,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IConfigureOptions<KestrelServerOptions>
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<KestrelEndpointSetup>();

    public void Configure(KestrelServerOptions kestrel)
    {
        var alb = new AlbOptions();
        configuration.GetSection(AlbOptions.SectionName).Bind(alb);
        ApplyLimits(kestrel.Limits, alb);
        var apiTls = alb.ApiTls ? ApiTls(alb) : null;
        var xdsTls = alb.XdsTls && !string.IsNullOrWhiteSpace(alb.XdsTlsCertFile) ? XdsTls(alb) : null;
        Listen(kestrel, EndpointRole.Api, alb.GrpcBind, alb.GrpcPort, HttpProtocols.Http2, alb.MaxConnections, apiTls);
        Listen(kestrel, EndpointRole.Xds, alb.XdsBind, alb.XdsPort, HttpProtocols.Http2, alb.XdsMaxConnections, xdsTls);
        Listen(kestrel, EndpointRole.Health, alb.HealthBind, alb.HealthPort, HttpProtocols.Http1, alb.MaxConnections, tls: null);
        Listen(kestrel, EndpointRole.Metrics, alb.MetricsBind, alb.MetricsPort, HttpProtocols.Http1, alb.MaxConnections, tls: null);
    }

    private static void ApplyLimits(KestrelServerLimits limits, AlbOptions alb)
    {
        if (alb.KeepAliveTimeout > TimeSpan.Zero)
        {
            limits.KeepAliveTimeout = alb.KeepAliveTimeout;
        }

        if (alb.RequestHeadersTimeout > TimeSpan.Zero)
        {
            limits.RequestHeadersTimeout = alb.RequestHeadersTimeout;
        }

        // ADS streams live for hours: a PING on a silent connection finds peers that vanished without
        // closing it (a crashed host, a dropped NAT entry), which TCP alone notices only after hours.
        if (alb.Http2PingDelay > TimeSpan.Zero)
        {
            limits.Http2.KeepAlivePingDelay = alb.Http2PingDelay;
        }

        if (alb.Http2PingTimeout > TimeSpan.Zero)
        {
            limits.Http2.KeepAlivePingTimeout = alb.Http2PingTimeout;
        }
    }

    private TlsEndpoint ApiTls(AlbOptions alb)
    {
        var (path, keyPath, password) = certificates.Settings();
        var certificate = new FileWatchedValue<SslStreamCertificateContext>(
            $"{ApiCertificateLoader.SectionName}:Path",
            keyPath is null ? [path] : [path, keyPath],
            () => TlsCertificateFiles.LoadServerCertificate(path, keyPath, password),
            timeProvider,
            _logger);
        return new TlsEndpoint(certificate, CaBundle("API_TLS_CLIENT_CA_FILE (Alb:ApiTlsClientCaFile)", alb.ApiTlsClientCaFile), alb.ApiTlsClientCertificate);
    }

    private TlsEndpoint XdsTls(AlbOptions alb)
    {
        var path = alb.XdsTlsCertFile!;
        var keyPath = string.IsNullOrWhiteSpace(alb.XdsTlsKeyFile) ? null : alb.XdsTlsKeyFile;
        var certificate = new FileWatchedValue<SslStreamCertificateContext>(
            "XDS_TLS_CERT_FILE (Alb:XdsTlsCertFile)",
            keyPath is null ? [path] : [path, keyPath],
            () => TlsCertificateFiles.LoadServerCertificate(path, keyPath, password: null),
            timeProvider,
            _logger);
        return new TlsEndpoint(certificate, CaBundle("XDS_TLS_CLIENT_CA_FILE (Alb:XdsTlsClientCaFile)", alb.XdsTlsClientCaFile), alb.XdsTlsClientCertificate);
    }

    private FileWatchedValue<X509Certificate2Collection>? CaBundle(string setting, string? path) =>
        string.IsNullOrWhiteSpace(path)
            ? null
            : new FileWatchedValue<X509Certificate2Collection>(setting, [path], () => TlsCertificateFiles.LoadCaBundle(path), timeProvider, _logger);

    private void Listen(KestrelServerOptions kestrel, EndpointRole role, string bind, int port, HttpProtocols protocols, int maxConnections, TlsEndpoint? tls)
    {
        if (port is < 0 or > 65535 || !AlbOptionsValidator.IsBindableAddress(bind) || maxConnections < 1)
        {
            return;
        }

        var limit = new ConnectionLimit(role, maxConnections, timeProvider, _logger);

        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            listen.Use(next => connection => limit.RunAsync(connection, next));
            listen.Use(next => connection =>
            {
                connection.Features.Set(new EndpointRoleFeature(role));
                return next(connection);
            });
            if (tls is not null)
            {
                listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = _ => ValueTask.FromResult(tls.CreateOptions()) });
            }

            endpoints.Add(role, listen);
        }

        if (string.Equals(bind, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.Listen(IPAddress.Loopback, port, Configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(bind), port, Configure);
        }
    }
}
