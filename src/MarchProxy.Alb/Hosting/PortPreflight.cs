using System.Net;
using System.Net.Sockets;
using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Before the host starts, tries each fixed port the way Kestrel will bind it, so a port in use is a
/// one-line settings error naming the variable (exit code 2), not Kestrel's start failure. Port 0 (any
/// free port) is not checked. Another process can still take a port between this check and the bind;
/// Program then reports Kestrel's error the same way.
/// </summary>
public static class PortPreflight
{
    private static readonly Dictionary<EndpointRole, string> Settings = new()
    {
        [EndpointRole.Api] = "GRPC_PORT (Alb:GrpcPort)",
        [EndpointRole.Xds] = "XDS_PORT (Alb:XdsPort)",
        [EndpointRole.Health] = "HEALTH_PORT (Alb:HealthPort)",
        [EndpointRole.Metrics] = "METRICS_PORT (Alb:MetricsPort)",
    };

    /// <exception cref="AlbConfigurationException">A port is in use, or may not be bound by this user.</exception>
    public static void Check(ListenEndpoints endpoints)
    {
        foreach (var (role, endpoint) in endpoints.All())
        {
            if (endpoint.Port == 0)
            {
                continue;
            }

            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(endpoint);
                socket.Listen();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                var problem = ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is already in use" : "may not be bound by this user";
                throw new AlbConfigurationException($"{Settings[role]}: {Describe(endpoint)} {problem}", ex);
            }
        }
    }

    private static string Describe(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";
}
