using System.Collections.Concurrent;
using System.Net;
using MarchProxy.Alb.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// The Kestrel endpoint of each role. After the server has started, <see cref="GetPort"/> returns
/// the port actually bound (Kestrel writes it back into the ListenOptions, also for port 0).
/// </summary>
public sealed class ListenEndpoints
{
    private readonly ConcurrentDictionary<EndpointRole, ListenOptions> _endpoints = new();

    public void Add(EndpointRole role, ListenOptions options) => _endpoints[role] = options;

    /// <summary>Every configured endpoint with its address (port 0 until the server has bound it).</summary>
    public IEnumerable<(EndpointRole Role, IPEndPoint EndPoint)> All() =>
        _endpoints.Where(e => e.Value.EndPoint is IPEndPoint).Select(e => (e.Key, (IPEndPoint)e.Value.EndPoint)).OrderBy(e => e.Key);

    public int GetPort(EndpointRole role) =>
        _endpoints.TryGetValue(role, out var options) && options.EndPoint is IPEndPoint ip
            ? ip.Port
            : throw new InvalidOperationException($"No {role} endpoint is configured.");
}
