using Envoy.Config.Accesslog.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.AccessLoggers.Stream.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>Builds Envoy listeners and proxyless gRPC API listeners.</summary>
internal static class ListenerBuilder
{
    /// <summary>
    /// An Envoy listener with one filter chain: an HttpConnectionManager that loads
    /// <paramref name="routeConfigurationName"/> over ADS, runs local rate limit then router, logs to
    /// stdout, and lists WebSocket upgrades as disabled so that routes opt in one by one. The
    /// listener depends on nothing but its spec, so route changes never touch LDS (a listener update
    /// would drain Envoy's connections).
    /// </summary>
    public static Listener ForEnvoy(ListenerSpec spec, string routeConfigurationName, bool accessLog)
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = spec.Name,
            CodecType = HttpConnectionManager.Types.CodecType.Auto,
            Rds = new Rds { ConfigSource = ProtoValues.Ads(), RouteConfigName = routeConfigurationName },
            HttpFilters =
            {
                new HttpFilter
                {
                    Name = XdsNames.LocalRateLimitFilter,
                    TypedConfig = Any.Pack(new LocalRateLimit { StatPrefix = XdsNames.LocalRateLimitStatPrefix }),
                },
                Router(),
            },
            UpgradeConfigs =
            {
                new HttpConnectionManager.Types.UpgradeConfig { UpgradeType = XdsNames.WebSocket, Enabled = false },
            },
        };

        if (accessLog)
        {
            hcm.AccessLog.Add(new AccessLog { Name = XdsNames.StdoutAccessLog, TypedConfig = Any.Pack(new StdoutAccessLog()) });
        }

        var chain = new FilterChain
        {
            Filters = { new Filter { Name = XdsNames.HttpConnectionManager, TypedConfig = Any.Pack(hcm) } },
        };

        if (spec.Tls is { } tls)
        {
            var context = new DownstreamTlsContext
            {
                CommonTlsContext = new CommonTlsContext
                {
                    TlsCertificates =
                    {
                        new TlsCertificate
                        {
                            CertificateChain = ProtoValues.DataSource(tls.CertificateChain),
                            PrivateKey = ProtoValues.DataSource(tls.PrivateKey),
                        },
                    },
                    AlpnProtocols = { "h2", "http/1.1" },
                },
            };
            chain.TransportSocket = new TransportSocket { Name = XdsNames.TlsTransportSocket, TypedConfig = Any.Pack(context) };
        }

        return new Listener
        {
            Name = spec.Name,
            Address = ProtoValues.SocketAddress(spec.Address, spec.Port),
            FilterChains = { chain },
        };
    }

    /// <summary>
    /// The listener a proxyless gRPC client asks for when it dials <c>xds:///name</c>: an
    /// <c>api_listener</c> holding an HttpConnectionManager that loads the RouteConfiguration of the
    /// same name over ADS, with the router as its only (so last) filter.
    /// </summary>
    public static Listener ForGrpc(string name) => new()
    {
        Name = name,
        ApiListener = new ApiListener
        {
            ApiListener_ = Any.Pack(new HttpConnectionManager
            {
                StatPrefix = name,
                Rds = new Rds { ConfigSource = ProtoValues.Ads(), RouteConfigName = name },
                HttpFilters = { Router() },
            }),
        },
    };

    private static HttpFilter Router() => new() { Name = XdsNames.RouterFilter, TypedConfig = Any.Pack(new Router()) };
}
