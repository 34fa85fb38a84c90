using System.Net;
using System.Net.Sockets;

namespace MarchProxy.Testing;

/// <summary>
/// Ports for settings that cannot be 0 (a child process's fixed port). The port is free when this
/// returns; another process could take it before the child binds it, which the kernel makes unlikely
/// (it hands out ephemeral ports in turn).
/// </summary>
public static class FreePorts
{
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
