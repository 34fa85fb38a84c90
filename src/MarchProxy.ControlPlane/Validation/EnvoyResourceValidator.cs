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

    private readonly Dictionary<NodeKind, Caches> _checked = [];

    /// <summary>Every problem in <paramref name="resources"/> (built for <paramref name="kind"/> nodes from <paramref name="state"/>), at model paths.</summary>
    public IReadOnlyList<ValidationError> Validate(NodeKind kind, TranslatedResources resources, DesiredState state)
    {
        var grpc = kind == NodeKind.Grpc;
        if (!_checked.TryGetValue(kind, out var caches))
        {
            _checked[kind] = caches = new Caches();
        }

        var report = new Report(new EnvoyPathMapper(state, grpc));
        foreach (var message in resources.Clusters)
        {
            var cluster = (Cluster)message;
            var findings = Checked(caches.Messages, cluster, grpc, static (c, g, f) => ClusterSemantics.CheckCluster((Cluster)c, g, f));
            if (findings.Count > 0)
            {
                report.Add(findings, "Cluster", cluster.Name, f => report.Mapper.Cluster(cluster.Name, f.Path));
            }
        }

        foreach (var message in resources.Endpoints)
        {
            var assignment = (ClusterLoadAssignment)message;
            var findings = Checked(caches.Messages, assignment, grpc, static (a, g, f) => ClusterSemantics.CheckAssignment((ClusterLoadAssignment)a, string.Empty, requireIp: true, g, f));
            if (findings.Count > 0)
            {
                report.Add(findings, "ClusterLoadAssignment", assignment.ClusterName, f => report.Mapper.Assignment(assignment.ClusterName, f.Path.TrimStart('.')));
            }
        }

        var listeners = new List<Listener>(resources.Listeners.Count);
        foreach (var message in resources.Listeners)
        {
            var listener = (Listener)message;
            listeners.Add(listener);
            var findings = Checked(caches.Messages, listener, grpc, static (l, g, f) => ListenerSemantics.CheckListener((Listener)l, g, f));
            if (findings.Count > 0)
            {
                report.Add(findings, "Listener", listener.Name, f => report.Mapper.Listener(listener.Name, f.Path));
            }
        }

        var clashes = new List<(int Index, EnvoyFinding Finding)>();
        ListenerSemantics.CheckDistinctAddresses(listeners, clashes);
        foreach (var (index, finding) in clashes)
        {
            report.Add([finding], "Listener", listeners[index].Name, f => report.Mapper.Listener(listeners[index].Name, f.Path));
        }

        foreach (var message in resources.Routes)
        {
            ValidateRouteConfiguration((RouteConfiguration)message, grpc, caches, report);
        }

        return report.Errors;
    }

    private void ValidateRouteConfiguration(RouteConfiguration configuration, bool grpc, Caches caches, Report report)
    {
        var top = new List<EnvoyFinding>();
        _walker.Walk(configuration, string.Empty, StopAtVirtualHosts, top);
        RouteSemantics.CheckDomains(configuration.VirtualHosts, top);
        if (top.Count > 0)
        {
            report.Add(top, "RouteConfiguration", configuration.Name, f => DomainOf(configuration, f.Path) is { } domain ? report.Mapper.Domain(domain) : "routes");
        }

        // An unchanged virtual host is the same instance: one lookup covers it and all its routes.
        for (var v = 0; v < configuration.VirtualHosts.Count; v++)
        {
            var virtualHost = configuration.VirtualHosts[v];
            if (!caches.VirtualHosts.TryGetValue(virtualHost, out var located))
            {
                located = CheckVirtualHost(virtualHost, grpc, caches);
                caches.VirtualHosts.AddOrUpdate(virtualHost, located);
            }

            foreach (var (finding, route) in located)
            {
                var prefixed = finding with { Path = $"virtual_hosts[{v}].{finding.Path}" };
                report.Add(
                    [prefixed],
                    "RouteConfiguration",
                    configuration.Name,
                    f => route is null ? report.Mapper.Domain(virtualHost.Domains.FirstOrDefault() ?? string.Empty) : report.Mapper.Route(route, RouteRelative(finding.Path)));
            }
        }
    }

    /// <summary>The findings of a virtual host and its routes, paths relative to the virtual host, with the route each came from.</summary>
    private List<(EnvoyFinding Finding, string? Route)> CheckVirtualHost(VirtualHost virtualHost, bool grpc, Caches caches)
    {
        var located = new List<(EnvoyFinding, string?)>();
        var own = new List<EnvoyFinding>();
        _walker.Walk(virtualHost, string.Empty, StopAtRoutes, own);
        located.AddRange(own.Select(f => (f, (string?)null)));
        for (var r = 0; r < virtualHost.Routes.Count; r++)
        {
            var route = virtualHost.Routes[r];
            var findings = Checked(caches.Messages, route, grpc, static (x, g, f) => RouteSemantics.CheckRoute((Route)x, g, f));
            foreach (var finding in findings)
            {
                located.Add((finding with { Path = finding.Path.Length == 0 ? $"routes[{r}]" : $"routes[{r}].{finding.Path}" }, route.Name));
            }
        }

        return located;
    }

    /// <summary>The findings of one message, from the cache or checked now (the proto rules, then <paramref name="semantics"/>).</summary>
    private List<EnvoyFinding> Checked(ConditionalWeakTable<IMessage, List<EnvoyFinding>> cache, IMessage message, bool grpc, Action<IMessage, bool, List<EnvoyFinding>> semantics)
    {
        if (cache.TryGetValue(message, out var findings))
        {
            return findings;
        }

        findings = [];
        _walker.Walk(message, string.Empty, StopAtNothing, findings);
        semantics(message, grpc, findings);
        cache.AddOrUpdate(message, findings);
        return findings;
    }

    /// <summary>"routes[3].match.safe_regex.regex" → "match.safe_regex.regex".</summary>
    private static string RouteRelative(string path)
    {
        var dot = path.IndexOf("].", StringComparison.Ordinal);
        return dot < 0 ? string.Empty : path[(dot + 2)..];
    }

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

    private sealed class Caches
    {
        public ConditionalWeakTable<IMessage, List<EnvoyFinding>> Messages { get; } = [];

        public ConditionalWeakTable<VirtualHost, List<(EnvoyFinding Finding, string? Route)>> VirtualHosts { get; } = [];
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
