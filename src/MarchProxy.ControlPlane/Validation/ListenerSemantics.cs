using System.Net;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;

namespace MarchProxy.ControlPlane.Validation;

/// <summary>Envoy's and gRPC's checks on listeners and their HTTP connection managers.</summary>
internal static class ListenerSemantics
{
    private const string RouterFilter = "envoy.filters.http.router";
    private const string RouterType = "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router";

    public static void CheckListener(Listener listener, bool grpc, List<EnvoyFinding> findings)
    {
        if (grpc)
        {
            if (listener.ApiListener?.ApiListener_ is not { } api || !api.TryUnpack<HttpConnectionManager>(out var apiHcm))
            {
                findings.Add(new EnvoyFinding("api_listener", "a gRPC client needs an api_listener holding an HttpConnectionManager"));
                return;
            }

            CheckHcm(apiHcm, "api_listener.api_listener", grpc, findings);
            return;
        }

        if (listener.Address?.SocketAddress is not { } socket || !IPAddress.TryParse(socket.Address, out _) || socket.Address.Contains('[', StringComparison.Ordinal))
        {
            findings.Add(new EnvoyFinding("address.socket_address.address", "Envoy binds a listener to an IP literal"));
        }
        else if (socket.PortValue is 0 or > 65535)
        {
            findings.Add(new EnvoyFinding("address.socket_address.port_value", "must be 1-65535"));
        }

        if (listener.FilterChains.Count == 0)
        {
            findings.Add(new EnvoyFinding("filter_chains", "a listener needs a filter chain"));
        }

        for (var c = 0; c < listener.FilterChains.Count; c++)
        {
            var chain = listener.FilterChains[c];
            var path = $"filter_chains[{c}]";
            if (chain.TransportSocket?.TypedConfig is { } tls
                && tls.TryUnpack<DownstreamTlsContext>(out var context)
                && (context.CommonTlsContext?.TlsCertificates.Count ?? 0) == 0)
            {
                findings.Add(new EnvoyFinding(path + ".transport_socket", "a TLS listener needs a certificate"));
            }

            for (var f = 0; f < chain.Filters.Count; f++)
            {
                if (chain.Filters[f].TypedConfig is { } config && config.TryUnpack<HttpConnectionManager>(out var hcm))
                {
                    CheckHcm(hcm, $"{path}.filters[{f}].typed_config", grpc, findings);
                }
            }
        }
    }

    /// <summary>Two listeners may not bind the same address and port.</summary>
    public static void CheckDistinctAddresses(IReadOnlyList<Listener> listeners, List<(int Index, EnvoyFinding Finding)> findings)
    {
        var seen = new Dictionary<(string, uint), string>();
        for (var i = 0; i < listeners.Count; i++)
        {
            if (listeners[i].Address?.SocketAddress is { } socket && !seen.TryAdd((socket.Address, socket.PortValue), listeners[i].Name))
            {
                findings.Add((i, new EnvoyFinding("address", $"{socket.Address}:{socket.PortValue} is already bound by listener '{seen[(socket.Address, socket.PortValue)]}'")));
            }
        }
    }

    private static void CheckHcm(HttpConnectionManager hcm, string path, bool grpc, List<EnvoyFinding> findings)
    {
        var filters = hcm.HttpFilters;
        for (var i = 0; i < filters.Count; i++)
        {
            var isRouter = filters[i].Name == RouterFilter || filters[i].TypedConfig?.TypeUrl == RouterType;
            if (isRouter && i != filters.Count - 1)
            {
                findings.Add(new EnvoyFinding($"{path}.http_filters[{i}]", "the router filter must be the last HTTP filter"));
            }

            if (!isRouter && i == filters.Count - 1)
            {
                findings.Add(new EnvoyFinding($"{path}.http_filters[{i}]", "the last HTTP filter must be the router"));
            }

            if (grpc && !isRouter && !filters[i].IsOptional)
            {
                findings.Add(new EnvoyFinding($"{path}.http_filters[{i}]", "gRPC clients refuse HTTP filters they do not know"));
            }
        }

        if (filters.Count == 0 && !grpc)
        {
            findings.Add(new EnvoyFinding(path + ".http_filters", "Envoy needs the router filter"));
        }

        var upgrades = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < hcm.UpgradeConfigs.Count; i++)
        {
            if (!upgrades.Add(hcm.UpgradeConfigs[i].UpgradeType))
            {
                findings.Add(new EnvoyFinding($"{path}.upgrade_configs[{i}]", $"upgrade '{hcm.UpgradeConfigs[i].UpgradeType}' is listed twice"));
            }
        }

        if (hcm.Rds is { } rds && (rds.ConfigSource?.Ads is null || string.IsNullOrEmpty(rds.RouteConfigName)))
        {
            findings.Add(new EnvoyFinding(path + ".rds", "RDS must name a route configuration and load it over ADS"));
        }
    }
}
