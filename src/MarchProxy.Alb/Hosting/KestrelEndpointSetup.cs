using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// One Kestrel endpoint per port: the API and ADS (HTTP/2 only: gRPC clients and Envoy use h2c with
/// prior knowledge), health and metrics (HTTP/1.1). Each connection is tagged with its endpoint's
/// role so that <see cref="EndpointRoleMiddleware"/> can pin services to their ports.
/// </summary>
/// <remarks>
/// WebApplication creates the server (and so runs this) while it is built, before the options
/// validators run at start. So the settings are bound here without validation, and an endpoint
/// with an invalid port or address is skipped: the validator then stops the start with a message
/// that names the setting.
/// </remarks>
public sealed class KestrelEndpointSetup(
    IConfiguration configuration,
    ListenEndpoints endpoints,
    ApiCertificateLoader certificates) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var alb = new AlbOptions();
        configuration.GetSection(AlbOptions.SectionName).Bind(alb);
        Listen(kestrel, EndpointRole.Api, alb.GrpcBind, alb.GrpcPort, HttpProtocols.Http2, alb.ApiTls);
        Listen(kestrel, EndpointRole.Xds, alb.XdsBind, alb.XdsPort, HttpProtocols.Http2, tls: false);
        Listen(kestrel, EndpointRole.Health, alb.HealthBind, alb.HealthPort, HttpProtocols.Http1, tls: false);
        Listen(kestrel, EndpointRole.Metrics, alb.MetricsBind, alb.MetricsPort, HttpProtocols.Http1, tls: false);
    }

    private void Listen(KestrelServerOptions kestrel, EndpointRole role, string bind, int port, HttpProtocols protocols, bool tls)
    {
        if (port is < 0 or > 65535 || !AlbOptionsValidator.IsBindableAddress(bind))
        {
            return;
        }

        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            listen.Use(next => connection =>
            {
                connection.Features.Set(new EndpointRoleFeature(role));
                return next(connection);
            });
            if (tls)
            {
                listen.UseHttps(certificates.Load());
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
