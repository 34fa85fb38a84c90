using Envoy.Config.Bootstrap.V3;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using UpstreamHttpProtocolOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Builds Envoy's bootstrap as the typed <see cref="Bootstrap"/> message: node, admin on loopback,
/// ADS (delta or SotW, transport V3) through a static HTTP/2 <c>xds_cluster</c> with TCP keepalive,
/// and CDS and LDS over ADS with resource API V3.
/// </summary>
internal static class BootstrapBuilder
{
    public const string XdsClusterName = "xds_cluster";
    public const string HttpProtocolOptionsKey = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    public static Bootstrap Build(EnvoyOptions options)
    {
        return new Bootstrap
        {
            Node = new Node { Id = options.NodeId, Cluster = options.NodeCluster },
            Admin = new Admin { Address = SocketAddressOf(options.AdminAddress, options.AdminPort) },
            StaticResources = new Bootstrap.Types.StaticResources { Clusters = { XdsCluster(options) } },
            DynamicResources = new Bootstrap.Types.DynamicResources
            {
                AdsConfig = new ApiConfigSource
                {
                    ApiType = options.XdsMode == XdsMode.Sotw
                        ? ApiConfigSource.Types.ApiType.Grpc
                        : ApiConfigSource.Types.ApiType.DeltaGrpc,
                    TransportApiVersion = ApiVersion.V3,
                    SetNodeOnFirstMessageOnly = true,
                    GrpcServices = { new GrpcService { EnvoyGrpc = new GrpcService.Types.EnvoyGrpc { ClusterName = XdsClusterName } } },
                },
                CdsConfig = AdsConfigSource(options),
                LdsConfig = AdsConfigSource(options),
            },
        };
    }

    private static Cluster XdsCluster(EnvoyOptions options)
    {
        var http2 = new UpstreamHttpProtocolOptions
        {
            ExplicitHttpConfig = new UpstreamHttpProtocolOptions.Types.ExplicitHttpConfig
            {
                Http2ProtocolOptions = new Http2ProtocolOptions
                {
                    ConnectionKeepalive = new KeepaliveSettings
                    {
                        Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)),
                        Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)),
                    },
                },
            },
        };

        var cluster = new Cluster
        {
            Name = XdsClusterName,
            Type = Cluster.Types.DiscoveryType.Static,
            ConnectTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            LoadAssignment = new ClusterLoadAssignment
            {
                ClusterName = XdsClusterName,
                Endpoints =
                {
                    new LocalityLbEndpoints
                    {
                        LbEndpoints = { new LbEndpoint { Endpoint = new Endpoint { Address = SocketAddressOf(options.XdsAddress, options.XdsPort) } } },
                    },
                },
            },
            TypedExtensionProtocolOptions = { [HttpProtocolOptionsKey] = Any.Pack(http2) },
            UpstreamConnectionOptions = new UpstreamConnectionOptions
            {
                TcpKeepalive = new TcpKeepalive { KeepaliveProbes = 3, KeepaliveTime = 30, KeepaliveInterval = 5 },
            },
        };
        if (options.XdsTls)
        {
            cluster.TransportSocket = XdsTransportSocket(options);
        }

        return cluster;
    }

    /// <summary>TLS to ADS (h2 by ALPN), with the client certificate when one is set (mutual TLS).</summary>
    private static TransportSocket XdsTransportSocket(EnvoyOptions options)
    {
        var common = new CommonTlsContext { AlpnProtocols = { "h2" } };
        if (!string.IsNullOrWhiteSpace(options.XdsTlsCertFile) && !string.IsNullOrWhiteSpace(options.XdsTlsKeyFile))
        {
            common.TlsCertificates.Add(new TlsCertificate
            {
                CertificateChain = new DataSource { Filename = options.XdsTlsCertFile },
                PrivateKey = new DataSource { Filename = options.XdsTlsKeyFile },
            });
        }

        if (!string.IsNullOrWhiteSpace(options.XdsTlsCaFile))
        {
            common.ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { Filename = options.XdsTlsCaFile } };
        }

        var context = new UpstreamTlsContext { CommonTlsContext = common, Sni = options.XdsTlsServerName ?? string.Empty };
        return new TransportSocket { Name = "envoy.transport_sockets.tls", TypedConfig = Any.Pack(context) };
    }

    private static ConfigSource AdsConfigSource(EnvoyOptions options)
    {
        return new ConfigSource
        {
            Ads = new AggregatedConfigSource(),
            ResourceApiVersion = ApiVersion.V3,
            InitialFetchTimeout = Duration.FromTimeSpan(options.InitialFetchTimeout),
        };
    }

    private static Address SocketAddressOf(string address, int port) =>
        new() { SocketAddress = new SocketAddress { Address = address, PortValue = (uint)port } };
}
