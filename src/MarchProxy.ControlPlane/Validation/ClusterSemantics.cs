using System.Net;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;

namespace MarchProxy.ControlPlane.Validation;

/// <summary>Envoy's and gRPC's checks on clusters and endpoint assignments: discovery shapes, addresses, weights.</summary>
internal static class ClusterSemantics
{
    private const string TlsSocket = "envoy.transport_sockets.tls";

    public static void CheckCluster(Cluster cluster, bool grpc, List<EnvoyFinding> findings)
    {
        switch (cluster.Type)
        {
            case Cluster.Types.DiscoveryType.Eds:
                if (cluster.EdsClusterConfig?.EdsConfig?.Ads is null)
                {
                    findings.Add(new EnvoyFinding("eds_cluster_config", "an EDS cluster loads its endpoints over ADS"));
                }

                break;
            case Cluster.Types.DiscoveryType.StrictDns when !grpc:
                if (cluster.LoadAssignment is not { } assignment || assignment.Endpoints.Sum(l => l.LbEndpoints.Count) == 0)
                {
                    findings.Add(new EnvoyFinding("load_assignment", "a DNS cluster needs its endpoints inline"));
                }
                else
                {
                    CheckAssignment(assignment, "load_assignment", requireIp: false, grpc, findings);
                }

                break;
            default:
                findings.Add(new EnvoyFinding("type", grpc ? "gRPC clients only take EDS clusters" : $"the ALB does not emit {cluster.Type} clusters"));
                break;
        }

        if (grpc && cluster.LbPolicy is not (Cluster.Types.LbPolicy.RoundRobin or Cluster.Types.LbPolicy.RingHash))
        {
            findings.Add(new EnvoyFinding("lb_policy", $"gRPC clients only take ROUND_ROBIN or RING_HASH, not {cluster.LbPolicy}"));
        }

        if (cluster.TransportSocket is { } socket)
        {
            if (grpc)
            {
                findings.Add(new EnvoyFinding("transport_socket", "gRPC clients take TLS from certificate providers only"));
            }
            else if (socket.Name != TlsSocket || !socket.TypedConfig.TryUnpack<UpstreamTlsContext>(out _))
            {
                findings.Add(new EnvoyFinding("transport_socket", "the transport socket must be envoy.transport_sockets.tls with an UpstreamTlsContext"));
            }
        }

        var priorities = new HashSet<Envoy.Config.Core.V3.RoutingPriority>();
        for (var i = 0; i < (cluster.CircuitBreakers?.Thresholds.Count ?? 0); i++)
        {
            if (!priorities.Add(cluster.CircuitBreakers!.Thresholds[i].Priority))
            {
                findings.Add(new EnvoyFinding($"circuit_breakers.thresholds[{i}]", "a priority has one set of thresholds"));
            }
        }

        for (var i = 0; i < cluster.HealthChecks.Count; i++)
        {
            if (grpc)
            {
                findings.Add(new EnvoyFinding($"health_checks[{i}]", "gRPC clients do not health-check"));
            }
        }
    }

    /// <summary>An EDS assignment: IP-literal endpoints, weights whose sum fits in 32 bits; for gRPC, localities with weights and no duplicates.</summary>
    public static void CheckAssignment(ClusterLoadAssignment assignment, string path, bool requireIp, bool grpc, List<EnvoyFinding> findings)
    {
        ulong total = 0;
        var seen = new HashSet<(string, uint)>();
        for (var l = 0; l < assignment.Endpoints.Count; l++)
        {
            var locality = assignment.Endpoints[l];
            var localityPath = $"{path}.endpoints[{l}]";
            if (grpc && (locality.Locality is null || locality.LoadBalancingWeight is null or 0))
            {
                findings.Add(new EnvoyFinding(localityPath, "gRPC clients need a locality with a load-balancing weight (they drop it otherwise)"));
            }

            for (var e = 0; e < locality.LbEndpoints.Count; e++)
            {
                var lb = locality.LbEndpoints[e];
                var endpointPath = $"{localityPath}.lb_endpoints[{e}]";
                total += lb.LoadBalancingWeight ?? 1;
                if (lb.Endpoint?.Address?.SocketAddress is not { } socket)
                {
                    findings.Add(new EnvoyFinding(endpointPath + ".endpoint.address", "an endpoint needs a socket address"));
                    continue;
                }

                if (requireIp && (!IPAddress.TryParse(socket.Address, out _) || socket.Address.Contains('[', StringComparison.Ordinal)))
                {
                    findings.Add(new EnvoyFinding(endpointPath + ".endpoint.address.socket_address.address", $"'{socket.Address}' is not an IP literal, which EDS requires"));
                }

                if (socket.PortSpecifierCase != Envoy.Config.Core.V3.SocketAddress.PortSpecifierOneofCase.PortValue || socket.PortValue == 0)
                {
                    findings.Add(new EnvoyFinding(endpointPath + ".endpoint.address.socket_address.port_value", "an upstream endpoint needs a port"));
                }

                if (grpc && !seen.Add((socket.Address, socket.PortValue)))
                {
                    findings.Add(new EnvoyFinding(endpointPath, $"gRPC clients refuse the duplicate address {socket.Address}:{socket.PortValue}"));
                }
            }
        }

        if (total > uint.MaxValue)
        {
            findings.Add(new EnvoyFinding(path + ".endpoints", "the endpoint weights add up to more than 2^32-1"));
        }
    }
}
