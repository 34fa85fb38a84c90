using System.Diagnostics.Metrics;
using System.Net;
using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Telemetry;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.ControlPlane.Cache;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry.Exporter;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>
/// The real ALB (control-plane-only) with an in-test xDS node: real pushes, ACKs and NACKs, seen by
/// MetricCollector and by a scrape of /metrics on the metrics port.
/// </summary>
public sealed class TelemetryEndpointTests : AlbHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Alb:AckTimeout"] = "00:00:05" };

    // Two scrapes within the exporter's response cache (300 ms) would read the same text.
    protected override void ConfigureServices(IServiceCollection services) =>
        services.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0);

    [Test]
    public async Task Instruments_RealPushesAcksAndNacks_AreRecorded()
    {
        var meters = Host.Services.GetRequiredService<IMeterFactory>();
        using var pushes = new MetricCollector<long>(meters, AlbMetrics.MeterName, "marchproxy.xds.pushes");
        using var acks = new MetricCollector<long>(meters, AlbMetrics.MeterName, "marchproxy.xds.acks");
        using var nacks = new MetricCollector<long>(meters, AlbMetrics.MeterName, "marchproxy.xds.nacks");
        using var pushToAck = new MetricCollector<double>(meters, AlbMetrics.MeterName, "marchproxy.xds.push_to_ack.duration");
        using var streams = new MetricCollector<long>(meters, AlbMetrics.MeterName, "marchproxy.xds.streams.active");
        using var mutations = new MetricCollector<long>(meters, AlbMetrics.MeterName, "marchproxy.config.mutations");
        await using var node = await ConnectInSyncAsync("envoy-metrics");

        await PushAckAndNackAsync(node, acks, nacks);

        streams.GetMeasurementSnapshot().Where(m => Equals(m.Tags["node_kind"], "envoy")).Sum(m => m.Value).Should().Be(1);
        pushes.GetMeasurementSnapshot().Where(m => Equals(m.Tags["type"], "cds")).Sum(m => m.Value).Should().BeGreaterThanOrEqualTo(3);
        acks.GetMeasurementSnapshot().Where(m => Equals(m.Tags["type"], "cds")).Sum(m => m.Value).Should().BeGreaterThanOrEqualTo(2);
        acks.GetMeasurementSnapshot().Where(m => Equals(m.Tags["type"], "lds")).Sum(m => m.Value).Should().BeGreaterThanOrEqualTo(1);
        // The node rejects everything of version 3: the cluster, and its endpoints once they are pushed.
        nacks.GetMeasurementSnapshot().Where(m => Equals(m.Tags["type"], "cds")).Should().ContainSingle()
            .Which.Tags.Should().Contain(new KeyValuePair<string, object?>("node_kind", "envoy"));
        pushToAck.GetMeasurementSnapshot().Should().HaveCount(acks.GetMeasurementSnapshot().Count).And.OnlyContain(m => m.Value >= 0 && m.Value < 10);
        mutations.GetMeasurementSnapshot().Select(m => ((string)m.Tags["rpc"]!, (string)m.Tags["result"]!))
            .Should().Equal(("UpsertCluster", "applied"), ("UpsertCluster", "applied"), ("UpsertCluster", "invalid_argument"));
    }

    [Test]
    public async Task Scrape_AfterPushesAcksAndNacks_FindsTheInstrumentsInTheTextFormat()
    {
        var meters = Host.Services.GetRequiredService<IMeterFactory>();
        using var acks = new MetricCollector<long>(meters, AlbMetrics.MeterName, "marchproxy.xds.acks");
        using var nacks = new MetricCollector<long>(meters, AlbMetrics.MeterName, "marchproxy.xds.nacks");
        using var streams = new MetricCollector<long>(meters, AlbMetrics.MeterName, "marchproxy.xds.streams.active");
        await using (var node = await ConnectInSyncAsync("envoy-scrape"))
        {
            await PushAckAndNackAsync(node, acks, nacks);

            var metrics = await ScrapeAsync();

            metrics.Types["marchproxy_xds_pushes_total"].Should().Be("counter");
            metrics.Types["marchproxy_xds_push_to_ack_duration_seconds"].Should().Be("histogram");
            metrics.Types["marchproxy_xds_streams_active"].Should().Be("gauge");
            metrics.Value("marchproxy_xds_streams_active", ("node_kind", "envoy"), ("protocol", "sotw")).Should().Be(1);
            metrics.Value("marchproxy_xds_pushes_total", ("node_kind", "envoy"), ("type", "cds")).Should().BeGreaterThanOrEqualTo(3);
            metrics.Value("marchproxy_xds_acks_total", ("node_kind", "envoy"), ("type", "cds")).Should().BeGreaterThanOrEqualTo(2);
            metrics.Value("marchproxy_xds_acks_total", ("node_kind", "envoy"), ("type", "lds")).Should().BeGreaterThanOrEqualTo(1);
            metrics.Value("marchproxy_xds_nacks_total", ("node_kind", "envoy"), ("type", "cds")).Should().Be(1);
            metrics.Value("marchproxy_xds_push_to_ack_duration_seconds_count", ("node_kind", "envoy"), ("type", "cds")).Should().BeGreaterThanOrEqualTo(2);
            metrics.Value("marchproxy_xds_push_to_ack_duration_seconds_bucket", ("node_kind", "envoy"), ("type", "cds"), ("le", "+Inf")).Should().BeGreaterThanOrEqualTo(2);
            metrics.Value("marchproxy_config_version").Should().Be(3);
            metrics.Value("marchproxy_config_mutations_total", ("rpc", "UpsertCluster"), ("result", "applied")).Should().Be(2);
            metrics.Value("marchproxy_config_mutations_total", ("rpc", "UpsertCluster"), ("result", "invalid_argument")).Should().Be(1);
            metrics.Value("marchproxy_config_persist_failures_total").Should().Be(0);
        }

        await streams.WaitForMeasurementsAsync(2, TaskTimeoutExtensions.DefaultTimeoutSpan);
        var afterClose = await ScrapeAsync();
        afterClose.Value("marchproxy_xds_streams_active", ("node_kind", "envoy"), ("protocol", "sotw")).Should().Be(0);
    }

    [Test]
    public async Task Tracing_MutationWithWaitForAck_HasAChildSpanPerStep()
    {
        using var recorder = new ActivityRecorder();
        var request = Requests.UpsertCluster("web");
        request.WaitForAck = true;

        var response = await Host.Client.UpsertClusterAsync(request).ResponseAsync.DefaultTimeout();

        var spans = recorder.Stopped;
        var mutation = spans.Should().ContainSingle(a => a.OperationName == AlbTracing.MutationSpan).Which;
        mutation.GetTagItem("marchproxy.rpc").Should().Be("UpsertCluster");
        mutation.GetTagItem("marchproxy.result").Should().Be("applied");
        var children = spans.Where(a => a.ParentSpanId == mutation.SpanId).ToList();
        children.Select(a => a.OperationName).Should().BeEquivalentTo(
            [AlbTracing.TranslateSpan, AlbTracing.PersistSpan, AlbTracing.PublishSpan, AlbTracing.AckWaitSpan, AlbTracing.AckWaitSpan]);
        children.Should().OnlyContain(a => Equals(a.GetTagItem("marchproxy.config.version"), response.Version));
        children.Where(a => a.OperationName == AlbTracing.AckWaitSpan).Select(a => a.GetTagItem("marchproxy.node_kind"))
            .Should().BeEquivalentTo(["envoy", "grpc"]);
    }

    [Test]
    public async Task Scrape_RightAfterStart_EveryFixedSeriesIsThereAtZero()
    {
        var metrics = await ScrapeAsync();

        metrics.Value("marchproxy_xds_streams_active", ("node_kind", "envoy"), ("protocol", "delta")).Should().Be(0);
        metrics.Value("marchproxy_xds_streams_active", ("node_kind", "grpc"), ("protocol", "sotw")).Should().Be(0);
        metrics.Value("marchproxy_xds_pushes_total", ("node_kind", "envoy"), ("type", "cds")).Should().Be(0);
        metrics.Value("marchproxy_xds_nacks_total", ("node_kind", "grpc"), ("type", "rds")).Should().Be(0);
        metrics.Value("marchproxy_config_mutations_total", ("rpc", "UpsertRoute"), ("result", "applied")).Should().Be(0);
        metrics.Value("marchproxy_config_mutations_total", ("rpc", "DeleteCluster"), ("result", "failed_precondition")).Should().Be(0);
        metrics.Value("marchproxy_config_persist_failures_total").Should().Be(0);
    }

    [Test]
    public async Task Scrape_ControlPlaneOnly_ReportsTheSupervisorAsAbsentAndNoEnvoyStats()
    {
        var metrics = await ScrapeAsync();

        metrics.Value("marchproxy_envoy_state", ("state", "absent")).Should().Be(1);
        metrics.Value("marchproxy_envoy_state", ("state", "live")).Should().Be(0);
        metrics.Value("marchproxy_envoy_restarts_total", ("reason", "crash")).Should().Be(0);
        metrics.Value("marchproxy_envoy_up").Should().Be(0);
        metrics.Value("marchproxy_envoy_hot_restart_epoch").Should().Be(0);
        metrics.Value("marchproxy_envoy_start_stalled").Should().Be(0);
        metrics.Value("marchproxy_config_version").Should().Be(1);

        // No Envoy value at all, read from this host's own meters: OpenTelemetry's MeterProvider
        // listens to meters by name across the process, so the scrape of a test process may also
        // carry the instruments of another host that is still alive (a production process has one).
        var meters = Host.Services.GetRequiredService<IMeterFactory>();
        using var stale = new MetricCollector<int>(meters, AlbMetrics.MeterName, "marchproxy.envoy.stats.stale");
        using var requests = new MetricCollector<long>(meters, AlbMetrics.MeterName, "marchproxy.envoy.downstream.requests");
        stale.RecordObservableInstruments();
        requests.RecordObservableInstruments();
        stale.Instrument.Should().NotBeNull("the instrument exists; it reports nothing");
        stale.GetMeasurementSnapshot().Should().BeEmpty();
        requests.Instrument.Should().NotBeNull("the instrument exists; it reports nothing");
        requests.GetMeasurementSnapshot().Should().BeEmpty();
    }

    [Test]
    public async Task Scrape_IncludesAspNetCoreAndRuntimeMetrics()
    {
        await Host.Client.GetStatusAsync(new MarchProxy.Api.V1.StatusRequest()).ResponseAsync.DefaultTimeout();

        var metrics = await ScrapeAsync();

        metrics.Samples.Should().Contain(s => s.Name == "http_server_request_duration_seconds_count"
            && s.Labels.GetValueOrDefault("http_route") == "/marchproxy.ModuleService/GetStatus");
        metrics.Samples.Should().Contain(s => s.Name.StartsWith("kestrel_", StringComparison.Ordinal));
        metrics.Samples.Should().Contain(s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
        metrics.Samples.Should().NotContain(
            s => s.Name.StartsWith("http_server_", StringComparison.Ordinal) && s.Labels.GetValueOrDefault("http_route") == "/metrics",
            "scrapes are left out of the HTTP server metrics");
    }

    [Test]
    public async Task Metrics_OnTheHealthPort_IsNotFound()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(Host.Address(EndpointRole.Health), "/metrics")).DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(Host.Address(EndpointRole.Metrics), "/metrics")).DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Version 2 (cluster "web") is pushed and ACKed, version 3 (cluster "broken") is pushed and
    /// NACKed, and an invalid request is refused. Waits until the server has counted the ACK and the
    /// NACK (the node has answered before it hands the response to the test).
    /// </summary>
    private async Task PushAckAndNackAsync(FakeXdsNode node, MetricCollector<long> acks, MetricCollector<long> nacks)
    {
        var acked = acks.GetMeasurementSnapshot().Count;
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        await node.WaitForAsync(ResourceTypes.Cluster, 2);
        await acks.WaitForMeasurementsAsync(acked + 1, TaskTimeoutExtensions.DefaultTimeoutSpan);

        node.Behavior = AckBehavior.Nack;
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("broken", port: 8082)).ResponseAsync.DefaultTimeout();
        await node.WaitForAsync(ResourceTypes.Cluster, 3);
        await nacks.WaitForMeasurementsAsync(1, TaskTimeoutExtensions.DefaultTimeoutSpan);

        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("not a valid name")).ShouldFailWith(StatusCode.InvalidArgument);
    }

    private async Task<FakeXdsNode> ConnectInSyncAsync(string nodeId)
    {
        var node = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), nodeId);
        await node.WaitForAsync(ResourceTypes.Cluster, 1);
        await node.WaitForAsync(ResourceTypes.Listener, 1);
        return node;
    }
}
