using System.Diagnostics;
using System.Diagnostics.Metrics;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Owns the Meter <see cref="MeterName"/> and creates every instrument of the ALB once: the control
/// plane's (fed through <see cref="IControlPlaneObserver"/>), the config store's, the supervisor's
/// (observed from <see cref="IEnvoySupervisor"/>) and Envoy's bridged stats (observed from
/// <see cref="EnvoyStatsMeasurements"/>). Label values come from fixed sets or bounded sets. Every
/// series of a fixed label set exists at 0 from the start (<see cref="StartAtZero"/>), so dashboards show
/// 0, not "No data", and an alert on an increase sees the first event. The meter factory owns (and
/// disposes) the Meter.
/// </summary>
public sealed class AlbMetrics : IControlPlaneObserver
{
    public const string MeterName = "MarchProxy.Alb";

    private static readonly NodeKind[] NodeKinds = [NodeKind.Envoy, NodeKind.Grpc];
    private static readonly string[] Protocols = ["sotw", "delta"];

    /// <summary>The results every mutation can have; validate_only and Reload's "failed" only where they exist.</summary>
    private static readonly string[] MutationResults =
        ["applied", "unchanged", "invalid_argument", "not_found", "failed_precondition", "unavailable", "aborted", "deadline_exceeded"];

    /// <summary>Push-to-ACK buckets in seconds: a local Envoy ACKs in milliseconds, a remote one may take seconds.</summary>
    private static readonly double[] PushToAckBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _streamsActive;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _acks;
    private readonly Counter<long> _nacks;
    private readonly Histogram<double> _pushToAck;
    private readonly Counter<long> _mutations;
    private readonly Counter<long> _persistFailures;

    public AlbMetrics(IMeterFactory meterFactory, ServedConfig servedConfig, IEnvoySupervisor supervisor, EnvoyStatsMeasurements envoyStats)
    {
        _meter = meterFactory.Create(MeterName);

        // Control plane.
        _streamsActive = _meter.CreateUpDownCounter<long>("marchproxy.xds.streams.active", "{stream}", "Open ADS streams, by node kind and protocol.");
        _pushes = _meter.CreateCounter<long>("marchproxy.xds.pushes", "{push}", "Discovery responses sent, by node kind and resource type.");
        _acks = _meter.CreateCounter<long>("marchproxy.xds.acks", "{ack}", "Discovery responses ACKed, by node kind and resource type.");
        _nacks = _meter.CreateCounter<long>("marchproxy.xds.nacks", "{nack}", "Discovery responses NACKed (rejected), by node kind and resource type.");
        _pushToAck = _meter.CreateHistogram(
            "marchproxy.xds.push_to_ack.duration",
            "s",
            "Time from sending a discovery response to its ACK, by node kind and resource type.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PushToAckBuckets });
        _meter.CreateObservableGauge("marchproxy.config.version", () => servedConfig.Current.Version, "{version}", "The version of the desired state being served.");
        _mutations = _meter.CreateCounter<long>("marchproxy.config.mutations", "{mutation}", "ModuleService mutations, by RPC and result.");
        _persistFailures = _meter.CreateCounter<long>("marchproxy.config.persist.failures", "{failure}", "Failed writes of the accepted state to DATA_DIR.");


        // Supervisor.
        _meter.CreateObservableCounter("marchproxy.envoy.restarts", () => SupervisorMetrics.Restarts(supervisor), "{restart}", "Envoy restarts, by reason (crash: it exited on its own; hot_restart).");
        _meter.CreateObservableGauge("marchproxy.envoy.up", () => SupervisorMetrics.Up(supervisor), "{up}", "1 while a supervised Envoy serves traffic, else 0 (also in control-plane-only mode).");
        _meter.CreateObservableGauge("marchproxy.envoy.state", () => SupervisorMetrics.State(supervisor), "{state}", "1 for the supervisor's current Envoy state, 0 for the others.");
        _meter.CreateObservableGauge("marchproxy.envoy.hot_restart_epoch", () => SupervisorMetrics.Epoch(supervisor), "{epoch}", "The hot-restart epoch of the serving Envoy; 0 in control-plane-only mode.");
        _meter.CreateObservableGauge("marchproxy.envoy.start_stalled", () => SupervisorMetrics.StartStalled(supervisor), "{stalled}", "1 while the supervised Envoy is not LIVE long after it started (Envoy:StartTimeout), else 0.");

        // Envoy's stats, bridged from its admin API.
        _meter.CreateObservableCounter("marchproxy.envoy.downstream.requests", envoyStats.DownstreamRequests, "{request}", "Requests Envoy received, by listener stat prefix.");
        _meter.CreateObservableCounter("marchproxy.envoy.downstream.responses", envoyStats.DownstreamResponses, "{response}", "Responses Envoy sent, by listener stat prefix and status class.");
        _meter.CreateObservableCounter("marchproxy.envoy.downstream.connections.opened", envoyStats.DownstreamConnections, "{connection}", "Connections Envoy accepted, by listener stat prefix.");
        _meter.CreateObservableGauge("marchproxy.envoy.downstream.connections.active", envoyStats.DownstreamConnectionsActive, "{connection}", "Open downstream connections, by listener stat prefix.");
        _meter.CreateObservableGauge("marchproxy.envoy.downstream.request_time", envoyStats.DownstreamRequestTime, "s", "Request time quantiles, by listener stat prefix, quantile and window (interval: last stats flush; cumulative: since Envoy started).");
        _meter.CreateObservableCounter("marchproxy.envoy.upstream.requests", envoyStats.UpstreamRequests, "{request}", "Requests Envoy sent upstream, by cluster.");
        _meter.CreateObservableCounter("marchproxy.envoy.upstream.responses", envoyStats.UpstreamResponses, "{response}", "Upstream responses, by cluster and status class.");
        _meter.CreateObservableGauge("marchproxy.envoy.upstream.request_time", envoyStats.UpstreamRequestTime, "s", "Upstream request time quantiles, by cluster, quantile and window.");
        _meter.CreateObservableCounter("marchproxy.envoy.ratelimited", envoyStats.RateLimited, "{request}", "Requests refused by a route's local rate limit, by route.");
        _meter.CreateObservableCounter("marchproxy.envoy.route.requests", envoyStats.RouteRequests, "{request}", "Upstream requests of each route: its own stats (stat_prefix), else the sum over the clusters it sends to.");
        _meter.CreateObservableCounter("marchproxy.envoy.route.errors", envoyStats.RouteErrors, "{request}", "Upstream 5xx responses of each route: its own stats (stat_prefix), else the sum over the clusters it sends to.");
        _meter.CreateObservableGauge("marchproxy.envoy.route.request_time", envoyStats.RouteRequestTime, "s", "Recent upstream request time quantiles of each route (its own stats, else its clusters' request-weighted).");
        _meter.CreateObservableGauge("marchproxy.envoy.route.mean_request_time", envoyStats.RouteMeanRequestTime, "s", "Approximate mean upstream request time of each route (GetMetrics' avg_latency_ms).");
        _meter.CreateObservableGauge("marchproxy.envoy.stats.stale", envoyStats.Stale, "{stale}", "1 when the last read of Envoy's stats failed or timed out and the Envoy values are old.");
        _meter.CreateObservableGauge("marchproxy.envoy.stats.age", envoyStats.Age, "s", "Seconds since the Envoy values were read.");
    }

    public void StreamOpened(NodeKind kind, string protocol) => _streamsActive.Add(1, StreamTags(kind, protocol));

    public void StreamClosed(NodeKind kind, string protocol) => _streamsActive.Add(-1, StreamTags(kind, protocol));

    public void ResponseSent(NodeKind kind, string typeUrl) => _pushes.Add(1, TypeTags(kind, typeUrl));

    public void Acked(NodeKind kind, string typeUrl, TimeSpan pushToAck)
    {
        var tags = TypeTags(kind, typeUrl);
        _acks.Add(1, tags);
        _pushToAck.Record(Math.Max(0, pushToAck.TotalSeconds), tags);
    }

    public void Nacked(NodeKind kind, string typeUrl) => _nacks.Add(1, TypeTags(kind, typeUrl));

    /// <summary>A ModuleService mutation finished. <paramref name="rpc"/> and <paramref name="result"/> come from fixed sets.</summary>
    public void MutationCompleted(string rpc, string result) =>
        _mutations.Add(1, new TagList { { "rpc", rpc }, { "result", result } });

    public void PersistFailed() => _persistFailures.Add(1);

    /// <summary>
    /// Creates every series of a fixed label set at 0 (a counter's Add(0) publishes the series). Called
    /// once the host has started (<see cref="MetricsStartup"/>), when the exporter listens: a measurement
    /// made before that is not seen.
    /// </summary>
    public void StartAtZero()
    {
        _persistFailures.Add(0);
        foreach (var kind in NodeKinds)
        {
            foreach (var protocol in Protocols)
            {
                _streamsActive.Add(0, StreamTags(kind, protocol));
            }

            foreach (var typeUrl in ResourceTypes.PushOrder)
            {
                var tags = TypeTags(kind, typeUrl);
                _pushes.Add(0, tags);
                _acks.Add(0, tags);
                _nacks.Add(0, tags);
            }
        }

        foreach (var rpc in MutationTelemetryInterceptor.Mutations)
        {
            foreach (var result in MutationResults)
            {
                _mutations.Add(0, new TagList { { "rpc", rpc }, { "result", result } });
            }
        }

        _mutations.Add(0, new TagList { { "rpc", "UpsertRoute" }, { "result", "validated" } });
        _mutations.Add(0, new TagList { { "rpc", "UpsertCluster" }, { "result", "validated" } });
        _mutations.Add(0, new TagList { { "rpc", "Reload" }, { "result", "failed" } });
    }

    /// <summary>"envoy" or "grpc".</summary>
    public static string KindLabel(NodeKind kind) => kind == NodeKind.Grpc ? "grpc" : "envoy";

    /// <summary>"cds", "eds", "lds", "rds", or "other" for a type we do not serve.</summary>
    public static string TypeLabel(string typeUrl) =>
        ResourceTypes.IsKnown(typeUrl) ? ResourceTypes.ShortName(typeUrl).ToLowerInvariant() : "other";

    private static TagList StreamTags(NodeKind kind, string protocol) => new()
    {
        { "node_kind", KindLabel(kind) },
        { "protocol", protocol is "sotw" or "delta" ? protocol : "other" },
    };

    private static TagList TypeTags(NodeKind kind, string typeUrl) => new()
    {
        { "node_kind", KindLabel(kind) },
        { "type", TypeLabel(typeUrl) },
    };
}
