using System.Net;
using System.Net.Sockets;

namespace MarchProxy.Load.Hosting;

/// <summary>The host's ports, chosen free on loopback once and kept across restarts (a restarted ALB listens where it did).</summary>
public sealed record HostPorts(int Grpc, int Xds, int Health, int Metrics, int EnvoyListen, int EnvoyAdmin)
{
    public static HostPorts Allocate()
    {
        var listeners = Enumerable.Range(0, 6).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return new HostPorts(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
