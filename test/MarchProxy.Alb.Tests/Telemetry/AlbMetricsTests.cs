using MarchProxy.Alb.Telemetry;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.Supervisor;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MarchProxy.Alb.Tests.Telemetry;

public sealed class AlbMetricsTests
{
    [Test]
    public void Observer_PushAckNack_CountsByNodeKindAndType()
    {
        using var harness = new MetricsHarness();
        using var pushes = harness.Collect<long>("marchproxy.xds.pushes");
        using var acks = harness.Collect<long>("marchproxy.xds.acks");
        using var nacks = harness.Collect<long>("marchproxy.xds.nacks");
        using var pushToAck = harness.Collect<double>("marchproxy.xds.push_to_ack.duration");

        harness.Metrics.ResponseSent(NodeKind.Envoy, ResourceTypes.Cluster);
        harness.Metrics.ResponseSent(NodeKind.Grpc, ResourceTypes.Route);
        harness.Metrics.Acked(NodeKind.Envoy, ResourceTypes.Cluster, TimeSpan.FromMilliseconds(250));
        harness.Metrics.Nacked(NodeKind.Grpc, ResourceTypes.Route);

        pushes.GetMeasurementSnapshot().Select(m => (m.Value, m.Tags["node_kind"], m.Tags["type"]))
            .Should().Equal((1L, "envoy", "cds"), (1L, "grpc", "rds"));
        acks.LastMeasurement!.Tags.Should().Contain(new KeyValuePair<string, object?>("type", "cds"));
        nacks.LastMeasurement!.Tags.Should().Contain(new KeyValuePair<string, object?>("node_kind", "grpc"));
        pushToAck.LastMeasurement!.Value.Should().Be(0.25);
        pushToAck.Instrument!.Unit.Should().Be("s");
    }

    [Test]
    public void Observer_StreamsOpenAndClose_TrackActiveStreams()
    {
        using var harness = new MetricsHarness();
        using var streams = harness.Collect<long>("marchproxy.xds.streams.active");

        harness.Metrics.StreamOpened(NodeKind.Envoy, "delta");
        harness.Metrics.StreamOpened(NodeKind.Envoy, "delta");
        harness.Metrics.StreamOpened(NodeKind.Grpc, "sotw");
        harness.Metrics.StreamClosed(NodeKind.Envoy, "delta");

        streams.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags["node_kind"], "envoy") && Equals(m.Tags["protocol"], "delta"))
            .Sum(m => m.Value).Should().Be(1);
        streams.GetMeasurementSnapshot().Where(m => Equals(m.Tags["node_kind"], "grpc")).Sum(m => m.Value).Should().Be(1);
    }

    [Test]
    public void TypeLabel_UnknownTypeUrl_IsOther() =>
        AlbMetrics.TypeLabel("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret").Should().Be("other");

    [Test]
    public void MutationsAndPersistFailures_AreCounted()
    {
        using var harness = new MetricsHarness();
        using var mutations = harness.Collect<long>("marchproxy.config.mutations");
        using var failures = harness.Collect<long>("marchproxy.config.persist.failures");

        harness.Metrics.MutationCompleted("UpsertRoute", "applied");
        harness.Metrics.PersistFailed();

        mutations.LastMeasurement!.Tags.Should().Contain(new KeyValuePair<string, object?>("rpc", "UpsertRoute"))
            .And.Contain(new KeyValuePair<string, object?>("result", "applied"));
        failures.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1);
    }

    [Test]
    public void ConfigVersion_FollowsTheServedState()
    {
        using var harness = new MetricsHarness();
        using var version = harness.Collect<long>("marchproxy.config.version");

        harness.ServedConfig.Served(DesiredState.Empty with { Version = 7 });
        harness.ServedConfig.Served(DesiredState.Empty with { Version = 6 });
        version.RecordObservableInstruments();

        version.LastMeasurement!.Value.Should().Be(7);
    }

    [Test]
    public void Supervisor_LiveEnvoy_ReportsUpStateEpochAndRestarts()
    {
        var supervisor = new FakeEnvoySupervisor
        {
            Status = new EnvoyStatus { State = EnvoyState.Live, IsServing = true, Epoch = 3, RestartCount = 2, HotRestartCount = 3 },
        };
        using var harness = new MetricsHarness(supervisor);
        using var up = harness.Collect<int>("marchproxy.envoy.up");
        using var state = harness.Collect<int>("marchproxy.envoy.state");
        using var epoch = harness.Collect<int>("marchproxy.envoy.hot_restart_epoch");
        using var restarts = harness.Collect<long>("marchproxy.envoy.restarts");

        Record(up, state, epoch, restarts);

        up.LastMeasurement!.Value.Should().Be(1);
        epoch.LastMeasurement!.Value.Should().Be(3);
        state.GetMeasurementSnapshot().Where(m => m.Value == 1).Select(m => m.Tags["state"]).Should().Equal("live");
        state.GetMeasurementSnapshot().Should().HaveCount(Enum.GetValues<EnvoyState>().Length);
        restarts.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["reason"]!, m => m.Value)
            .Should().Equal(new Dictionary<string, long> { ["crash"] = 2, ["hot_restart"] = 3 });
    }

    [Test]
    public void Supervisor_StartStalled_ReportsItUntilLive()
    {
        var supervisor = new FakeEnvoySupervisor { Status = new EnvoyStatus { State = EnvoyState.Starting, StartStalled = true } };
        using var harness = new MetricsHarness(supervisor);
        using var stalled = harness.Collect<int>("marchproxy.envoy.start_stalled");

        Record(stalled);
        stalled.LastMeasurement!.Value.Should().Be(1);

        supervisor.Status = new EnvoyStatus { State = EnvoyState.Live, IsServing = true };
        Record(stalled);
        stalled.LastMeasurement!.Value.Should().Be(0);
    }

    [Test]
    public void StartAtZero_EveryFixedSeries_ReportsZero()
    {
        using var harness = new MetricsHarness();
        using var streams = harness.Collect<long>("marchproxy.xds.streams.active");
        using var nacks = harness.Collect<long>("marchproxy.xds.nacks");
        using var mutations = harness.Collect<long>("marchproxy.config.mutations");

        harness.Metrics.StartAtZero();

        streams.GetMeasurementSnapshot().Select(m => $"{m.Tags["node_kind"]}/{m.Tags["protocol"]}={m.Value}")
            .Should().BeEquivalentTo("envoy/sotw=0", "envoy/delta=0", "grpc/sotw=0", "grpc/delta=0");
        nacks.GetMeasurementSnapshot().Should().HaveCount(8).And.OnlyContain(m => m.Value == 0);
        mutations.GetMeasurementSnapshot().Should().Contain(m => Equals(m.Tags["rpc"], "UpsertRoute") && Equals(m.Tags["result"], "applied") && m.Value == 0)
            .And.Contain(m => Equals(m.Tags["rpc"], "SetTrafficWeight") && Equals(m.Tags["result"], "unchanged") && m.Value == 0)
            .And.Contain(m => Equals(m.Tags["rpc"], "Reload") && Equals(m.Tags["result"], "invalid_argument") && m.Value == 0)
            .And.OnlyContain(m => m.Value == 0);
    }

    [Test]
    public void Supervisor_ControlPlaneOnly_ReportsAbsentWithUpAndEpochAtZero()
    {
        using var harness = new MetricsHarness(FakeEnvoySupervisor.Absent());
        using var up = harness.Collect<int>("marchproxy.envoy.up");
        using var state = harness.Collect<int>("marchproxy.envoy.state");
        using var epoch = harness.Collect<int>("marchproxy.envoy.hot_restart_epoch");
        using var restarts = harness.Collect<long>("marchproxy.envoy.restarts");

        Record(up, state, epoch, restarts);

        up.LastMeasurement!.Value.Should().Be(0, "no Envoy serves through this ALB");
        epoch.LastMeasurement!.Value.Should().Be(0);
        state.GetMeasurementSnapshot().Where(m => m.Value == 1).Select(m => m.Tags["state"]).Should().Equal("absent");
    }

    private static void Record(params IDisposable[] collectors)
    {
        foreach (var collector in collectors)
        {
            switch (collector)
            {
                case MetricCollector<int> ints:
                    ints.RecordObservableInstruments();
                    break;
                case MetricCollector<long> longs:
                    longs.RecordObservableInstruments();
                    break;
            }
        }
    }
}
