using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;
using HttpProtocolOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;
using LoadBalancingPolicy = MarchProxy.ControlPlane.Model.LoadBalancingPolicy;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>Builds Clusters and ClusterLoadAssignments from <see cref="ClusterSpec"/>s.</summary>
internal static class ClusterBuilder
{
    /// <summary>
    /// For Envoy: an EDS cluster when every endpoint is an IP literal, else a STRICT_DNS cluster
    /// with its endpoints inline; with HTTP/2, health checks, outlier detection, circuit breakers
    /// and upstream TLS as the spec asks.
    /// </summary>
    public static ClusterResources ForEnvoy(ClusterSpec spec)
    {
        var cluster = new Cluster
        {
            Name = spec.Name,
            ConnectTimeout = ProtoValues.Duration(spec.ConnectTimeout),
            LbPolicy = LbPolicy(spec.LoadBalancing),
        };

        ClusterLoadAssignment? eds = null;
        if (spec.Endpoints.All(e => HostAddress.IsIpLiteral(e.Address)))
        {
            cluster.Type = Cluster.Types.DiscoveryType.Eds;
            cluster.EdsClusterConfig = new Cluster.Types.EdsClusterConfig { EdsConfig = ProtoValues.Ads() };
            eds = LoadAssignment(spec.Name, spec.Endpoints);
        }
        else
        {
            cluster.Type = Cluster.Types.DiscoveryType.StrictDns;
            cluster.DnsLookupFamily = Cluster.Types.DnsLookupFamily.V4Preferred;
            cluster.LoadAssignment = LoadAssignment(spec.Name, spec.Endpoints);
        }

        if (spec.Http2)
        {
            cluster.TypedExtensionProtocolOptions.Add(XdsNames.HttpProtocolOptions, Any.Pack(new HttpProtocolOptions
            {
                ExplicitHttpConfig = new HttpProtocolOptions.Types.ExplicitHttpConfig { Http2ProtocolOptions = new Http2ProtocolOptions() },
            }));
        }

        if (spec.HealthCheck is { } hc)
        {
            cluster.HealthChecks.Add(HealthCheck(hc, spec.Http2));
        }

        if (spec.OutlierDetection is { } od)
        {
            cluster.OutlierDetection = new OutlierDetection
            {
                Consecutive5Xx = (uint)od.Consecutive5xx,
                Interval = ProtoValues.Duration(od.Interval),
                BaseEjectionTime = ProtoValues.Duration(od.BaseEjectionTime),
                MaxEjectionPercent = (uint)od.MaxEjectionPercent,
            };
        }

        if (spec.CircuitBreakers is { } cb)
        {
            cluster.CircuitBreakers = CircuitBreakers(cb, requestsOnly: false);
        }

        if (spec.Tls is { } tls)
        {
            cluster.TransportSocket = UpstreamTls(tls, spec.Http2);
        }

        return new ClusterResources(cluster, eds);
    }

    /// <summary>
    /// For proxyless gRPC: always EDS, ROUND_ROBIN or RING_HASH, the circuit breaker's
    /// max_requests (the one threshold gRPC honours), and IP-literal endpoints only. Returns the
    /// hostname endpoints it left out.
    /// </summary>
    public static (ClusterResources Resources, IReadOnlyList<EndpointSpec> Omitted) ForGrpc(ClusterSpec spec)
    {
        var cluster = new Cluster
        {
            Name = spec.Name,
            Type = Cluster.Types.DiscoveryType.Eds,
            EdsClusterConfig = new Cluster.Types.EdsClusterConfig { EdsConfig = ProtoValues.Ads() },
            ConnectTimeout = ProtoValues.Duration(spec.ConnectTimeout),
            LbPolicy = spec.LoadBalancing == LoadBalancingPolicy.RingHash ? Cluster.Types.LbPolicy.RingHash : Cluster.Types.LbPolicy.RoundRobin,
        };

        if (spec.CircuitBreakers is { MaxRequests: not null } cb)
        {
            cluster.CircuitBreakers = CircuitBreakers(cb, requestsOnly: true);
        }

        var endpoints = spec.Endpoints.IsDefault ? [] : spec.Endpoints;
        var usable = endpoints.Where(e => HostAddress.IsIpLiteral(e.Address)).ToArray();
        var omitted = usable.Length == endpoints.Length ? [] : endpoints.Where(e => !HostAddress.IsIpLiteral(e.Address)).ToArray();
        return (new ClusterResources(cluster, LoadAssignment(spec.Name, usable)), omitted);
    }

    /// <summary>
    /// One locality (<c>locality {}</c>, <c>load_balancing_weight</c> 1: gRPC drops localities
    /// without a weight) holding every endpoint with its weight. No locality when there are no endpoints.
    /// </summary>
    public static ClusterLoadAssignment LoadAssignment(string clusterName, IEnumerable<EndpointSpec> endpoints)
    {
        var assignment = new ClusterLoadAssignment { ClusterName = clusterName };
        LocalityLbEndpoints? locality = null;
        foreach (var endpoint in endpoints)
        {
            if (locality is null)
            {
                locality = new LocalityLbEndpoints { Locality = new Locality(), LoadBalancingWeight = 1 };
                assignment.Endpoints.Add(locality);
            }

            locality.LbEndpoints.Add(new LbEndpoint
            {
                Endpoint = new Envoy.Config.Endpoint.V3.Endpoint { Address = ProtoValues.SocketAddress(endpoint.Address, endpoint.Port) },
                LoadBalancingWeight = (uint)endpoint.Weight,
            });
        }

        return assignment;
    }

    private static Cluster.Types.LbPolicy LbPolicy(LoadBalancingPolicy policy) => policy switch
    {
        LoadBalancingPolicy.LeastRequest => Cluster.Types.LbPolicy.LeastRequest,
        LoadBalancingPolicy.Random => Cluster.Types.LbPolicy.Random,
        LoadBalancingPolicy.RingHash => Cluster.Types.LbPolicy.RingHash,
        LoadBalancingPolicy.Maglev => Cluster.Types.LbPolicy.Maglev,
        _ => Cluster.Types.LbPolicy.RoundRobin,
    };

    private static HealthCheck HealthCheck(HealthCheckSpec spec, bool http2)
    {
        var check = new HealthCheck
        {
            Timeout = ProtoValues.Duration(spec.Timeout),
            Interval = ProtoValues.Duration(spec.Interval),
            HealthyThreshold = (uint)spec.HealthyThreshold,
            UnhealthyThreshold = (uint)spec.UnhealthyThreshold,
        };

        if (string.IsNullOrEmpty(spec.HttpPath))
        {
            check.TcpHealthCheck = new HealthCheck.Types.TcpHealthCheck();
        }
        else
        {
            check.HttpHealthCheck = new HealthCheck.Types.HttpHealthCheck
            {
                Path = spec.HttpPath,
                CodecClientType = http2 ? Envoy.Type.V3.CodecClientType.Http2 : Envoy.Type.V3.CodecClientType.Http1,
            };
        }

        return check;
    }

    private static CircuitBreakers CircuitBreakers(CircuitBreakerSpec spec, bool requestsOnly)
    {
        var thresholds = new CircuitBreakers.Types.Thresholds { Priority = RoutingPriority.Default };
        if (spec.MaxRequests is { } requests)
        {
            thresholds.MaxRequests = (uint)requests;
        }

        if (!requestsOnly)
        {
            if (spec.MaxConnections is { } connections)
            {
                thresholds.MaxConnections = (uint)connections;
            }

            if (spec.MaxPendingRequests is { } pending)
            {
                thresholds.MaxPendingRequests = (uint)pending;
            }

            if (spec.MaxRetries is { } retries)
            {
                thresholds.MaxRetries = (uint)retries;
            }
        }

        return new CircuitBreakers { Thresholds = { thresholds } };
    }

    private static TransportSocket UpstreamTls(UpstreamTlsSpec spec, bool http2)
    {
        var common = new CommonTlsContext();
        if (spec.TrustedCaFile is { Length: > 0 } ca)
        {
            common.ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { Filename = ca } };
        }
        else if (spec.TrustedCaPem is { Length: > 0 } pem)
        {
            common.ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { InlineString = pem } };
        }

        if (http2)
        {
            common.AlpnProtocols.Add("h2");
        }

        var context = new UpstreamTlsContext { CommonTlsContext = common, Sni = spec.Sni ?? string.Empty };
        return new TransportSocket { Name = XdsNames.TlsTransportSocket, TypedConfig = Any.Pack(context) };
    }
}
