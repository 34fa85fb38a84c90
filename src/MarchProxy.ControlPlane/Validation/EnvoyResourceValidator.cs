using System.Runtime.CompilerServices;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.AccessLoggers.Stream.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using MarchProxy.ControlPlane.Validation.Pgv;
using HttpProtocolOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace MarchProxy.ControlPlane.Validation;

/// <summary>
/// Envoy's rules, applied to translated resources before they reach the cache: the
/// <c>(validate.rules)</c> of every field (<see cref="PgvRules"/>) and the checks Envoy and gRPC clients
/// make on top (router last, unique domains, weights, the 50 ms token-bucket floor, RE2 program size,
/// EDS and DNS cluster shapes, gRPC's narrower feature set). Each problem is reported at the model field
/// it came from. Results are kept per message instance, so an unchanged route or cluster is not checked
/// again (the translators reuse its message). Not thread-safe: the publisher serialises calls.
/// </summary>
public sealed class EnvoyResourceValidator
{
    /// <summary>At most this many problems are reported for one translation.</summary>
    public const int MaxReported = 100;

    private static readonly HashSet<string> StopAtVirtualHosts = ["envoy.config.route.v3.RouteConfiguration.virtual_hosts"];
    private static readonly HashSet<string> StopAtRoutes = ["envoy.config.route.v3.VirtualHost.routes"];
    private static readonly HashSet<string> StopAtNothing = [];

    private readonly PgvWalker _walker = new(TypeRegistry.FromMessages(
        HttpConnectionManager.Descriptor,
        Router.Descriptor,
        LocalRateLimit.Descriptor,
        UpstreamTlsContext.Descriptor,
        DownstreamTlsContext.Descriptor,
        HttpProtocolOptions.Descriptor,
        StdoutAccessLog.Descriptor,
        FilterConfig.Descriptor));

    private readonly Dictionary<NodeKind, ConditionalWeakTable<IMessage, List<EnvoyFinding>>> _checked = [];

    /// <summary>Every problem in <paramref name="resources"/> (built for <paramref name="kind"/> nodes from <paramref name="state"/>), at model paths.</summary>
    public IReadOnlyList<ValidationError> Validate(NodeKind kind, TranslatedResources resources, DesiredState state)
    {
        var grpc = kind == NodeKind.Grpc;
        if (!_checked.TryGetValue(kind, out var cache))
        {
            _checked[kind] = cache = [];
        }

        var report = new Report(new EnvoyPathMapper(state, grpc));
        foreach (var cluster in resources.Clusters.Cast<Cluster>())
        {
            var findings = cache.GetValue(cluster, c => Check(c, f => ClusterSemantics.CheckCluster((Cluster)c, grpc, f)));
            report.Add(findings, "Cluster", cluster.Name, f => report.Mapper.Cluster(cluster.Name, f.Path));
        }

        foreach (var assignment in resources.Endpoints.Cast<ClusterLoadAssignment>())
        {
            var findings = cache.GetValue(assignment, a => Check(a, f => ClusterSemantics.CheckAssignment((ClusterLoadAssignment)a, string.Empty, requireIp: true, grpc, f)));
            report.Add(findings, "ClusterLoadAssignment", assignment.ClusterName, f => report.Mapper.Assignment(assignment.ClusterName, f.Path.TrimStart('.')));
        }

        var listeners = resources.Listeners.Cast<Listener>().ToList();
        foreach (var listener in listeners)
        {
            var findings = cache.GetValue(listener, l => Check(l, f => ListenerSemantics.CheckListener((Listener)l, grpc, f)));
            report.Add(findings, "Listener", listener.Name, f => report.Mapper.Listener(listener.Name, f.Path));
        }

        var clashes = new List<(int Index, EnvoyFinding Finding)>();
        ListenerSemantics.CheckDistinctAddresses(listeners, clashes);
        foreach (var (index, finding) in clashes)
        {
            report.Add([finding], "Listener", listeners[index].Name, f => report.Mapper.Listener(listeners[index].Name, f.Path));
        }

        foreach (var configuration in resources.Routes.Cast<RouteConfiguration>())
        {
            ValidateRouteConfiguration(configuration, grpc, cache, report);
        }

        return report.Errors;
    }

    private void ValidateRouteConfiguration(RouteConfiguration configuration, bool grpc, ConditionalWeakTable<IMessage, List<EnvoyFinding>> cache, Report report)
    {
        var top = new List<EnvoyFinding>();
        _walker.Walk(configuration, string.Empty, StopAtVirtualHosts, top);
        RouteSemantics.CheckDomains(configuration.VirtualHosts, top);
        report.Add(top, "RouteConfiguration", configuration.Name, f => DomainOf(configuration, f.Path) is { } domain ? report.Mapper.Domain(domain) : "routes");

        for (var v = 0; v < configuration.VirtualHosts.Count; v++)
        {
            var virtualHost = configuration.VirtualHosts[v];
            var hostFindings = cache.GetValue(virtualHost, h => Walk(h, StopAtRoutes));
            report.Add(Prefixed(hostFindings, $"virtual_hosts[{v}]"), "RouteConfiguration", configuration.Name, _ => report.Mapper.Domain(virtualHost.Domains.FirstOrDefault() ?? string.Empty));

            for (var r = 0; r < virtualHost.Routes.Count; r++)
            {
                var route = virtualHost.Routes[r];
                var routeFindings = cache.GetValue(route, x => Check(x, f => RouteSemantics.CheckRoute((Route)x, grpc, f)));
                var prefix = $"virtual_hosts[{v}].routes[{r}]";
                report.Add(routeFindings, "RouteConfiguration", configuration.Name, f => report.Mapper.Route(route.Name, f.Path), prefix);
            }
        }
    }

    private List<EnvoyFinding> Check(IMessage message, Action<List<EnvoyFinding>> semantics)
    {
        var findings = Walk(message, StopAtNothing);
        semantics(findings);
        return findings;
    }

    private List<EnvoyFinding> Walk(IMessage message, IReadOnlySet<string> stopAt)
    {
        var findings = new List<EnvoyFinding>();
        _walker.Walk(message, string.Empty, stopAt, findings);
        return findings;
    }

    private static IEnumerable<EnvoyFinding> Prefixed(IEnumerable<EnvoyFinding> findings, string prefix) =>
        findings.Select(f => f with { Path = f.Path.Length == 0 ? prefix : $"{prefix}.{f.Path}" });

    private static string? DomainOf(RouteConfiguration configuration, string path)
    {
        var match = System.Text.RegularExpressions.Regex.Match(path, @"^virtual_hosts\[(\d+)\](?:\.domains\[(\d+)\])?");
        if (!match.Success || !int.TryParse(match.Groups[1].Value, out var v) || v >= configuration.VirtualHosts.Count)
        {
            return null;
        }

        var domains = configuration.VirtualHosts[v].Domains;
        return match.Groups[2].Success && int.TryParse(match.Groups[2].Value, out var d) && d < domains.Count ? domains[d] : domains.FirstOrDefault();
    }

    /// <summary>Collects findings as model-path errors, once each, up to <see cref="MaxReported"/>.</summary>
    private sealed class Report(EnvoyPathMapper mapper)
    {
        private readonly HashSet<(string, string)> _seen = [];

        public EnvoyPathMapper Mapper { get; } = mapper;

        public List<ValidationError> Errors { get; } = [];

        public void Add(IEnumerable<EnvoyFinding> findings, string type, string name, Func<EnvoyFinding, string> modelPath, string? envoyPrefix = null)
        {
            foreach (var finding in findings)
            {
                if (Errors.Count >= MaxReported)
                {
                    return;
                }

                var envoyPath = envoyPrefix is null ? finding.Path : finding.Path.Length == 0 ? envoyPrefix : $"{envoyPrefix}.{finding.Path}";
                var message = ValidationText.Truncate($"Envoy would reject it: {finding.Message} ({type} {ValidationText.Quote(name)}, {envoyPath})", 400);
                var path = modelPath(finding);
                if (_seen.Add((path, finding.Message)))
                {
                    Errors.Add(new ValidationError(path, message));
                }
            }
        }
    }
}
