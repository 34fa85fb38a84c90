using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>Log events of the translators (EventIds 1200–1299).</summary>
internal static partial class TranslationLog
{
    [LoggerMessage(EventId = 1200, EventName = "HostnameEndpointsOmitted", Level = LogLevel.Warning,
        Message = "Cluster {Cluster}: {Count} hostname endpoint(s) left out for proxyless gRPC clients, which accept IP literals only: {Endpoints}")]
    public static partial void HostnameEndpointsOmitted(ILogger logger, string cluster, int count, string endpoints);

    [LoggerMessage(EventId = 1201, EventName = "UpstreamTlsOmitted", Level = LogLevel.Warning,
        Message = "Cluster {Cluster}: upstream TLS is not sent to proxyless gRPC clients (they accept it only through certificate providers); they will connect to it in plaintext")]
    public static partial void UpstreamTlsOmitted(ILogger logger, string cluster);

    [LoggerMessage(EventId = 1202, EventName = "WildcardHostSkipped", Level = LogLevel.Information,
        Message = "Route host {Host} is a wildcard pattern; proxyless gRPC clients dial exact names, so it gets no gRPC listener")]
    public static partial void WildcardHostSkipped(ILogger logger, string host);

    [LoggerMessage(EventId = 1203, EventName = "Translated", Level = LogLevel.Debug,
        Message = "Translated version {Version} for {Kind}: rebuilt {Clusters} cluster(s), {Listeners} listener(s), {Routes} route(s), {VirtualHosts} virtual host(s)")]
    public static partial void Translated(ILogger logger, long version, NodeKind kind, int clusters, int listeners, int routes, int virtualHosts);
}
