using System.Diagnostics;
using Grpc.Core;
using MarchProxy.Alb.State;
using MarchProxy.Alb.Telemetry;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.Telemetry;

public sealed class MutationTelemetryTests
{
    private const string UpsertRoute = "/marchproxy.ModuleService/UpsertRoute";

    [Test]
    public async Task Interceptor_AppliedMutation_CountsItAndParentsEveryStepSpan()
    {
        using var harness = new MetricsHarness();
        using var tracing = new AlbTracing();
        using var recorder = new ActivityRecorder();
        using var mutations = harness.Collect<long>("marchproxy.config.mutations");
        var interceptor = new MutationTelemetryInterceptor(tracing, harness.Metrics);
        var publisher = new TracingStatePublisher(new FakeStatePublisher(), tracing);
        var persistence = new TracingStatePersistence(new FakeStatePersistence(), tracing, harness.Metrics);
        var ledger = new TracingAckLedger(new FakeAckLedger(), tracing);
        var next = DesiredState.Empty with { Version = 4 };

        await interceptor.UnaryServerHandler(
            new UpsertRouteRequest { WaitForAck = true },
            new TestServerCallContext(UpsertRoute),
            async (_, _) =>
            {
                // What the config store and the API do, in their order.
                publisher.DryRun(next);
                persistence.Save(new StoredState(next, ApiOwnership.None));
                publisher.Publish(next);
                await ledger.WaitForAckAsync(NodeKind.Envoy, next.Version, TimeSpan.FromSeconds(1), CancellationToken.None);
                return new MutationResponse { Success = true, Version = next.Version };
            }).DefaultTimeout();

        mutations.LastMeasurement!.Tags.Should().Contain(new KeyValuePair<string, object?>("rpc", "UpsertRoute"))
            .And.Contain(new KeyValuePair<string, object?>("result", "applied"));
        var spans = recorder.Stopped;
        var mutation = spans.Single(a => a.OperationName == AlbTracing.MutationSpan);
        mutation.DisplayName.Should().Be("mutation UpsertRoute");
        mutation.Status.Should().Be(ActivityStatusCode.Ok);
        spans.Where(a => a != mutation).Select(a => a.OperationName).Should()
            .Equal(AlbTracing.TranslateSpan, AlbTracing.PersistSpan, AlbTracing.PublishSpan, AlbTracing.AckWaitSpan);
        spans.Where(a => a != mutation).Should().OnlyContain(a => a.ParentSpanId == mutation.SpanId && a.TraceId == mutation.TraceId);
        spans.Single(a => a.OperationName == AlbTracing.AckWaitSpan).GetTagItem("marchproxy.ack.acked_nodes").Should().Be(1);
    }

    [Test]
    public async Task Interceptor_ValidateOnly_CountsValidated()
    {
        using var harness = new MetricsHarness();
        using var tracing = new AlbTracing();
        using var mutations = harness.Collect<long>("marchproxy.config.mutations");
        var interceptor = new MutationTelemetryInterceptor(tracing, harness.Metrics);

        await interceptor.UnaryServerHandler(
            new UpsertClusterRequest { ValidateOnly = true },
            new TestServerCallContext("/marchproxy.ModuleService/UpsertCluster"),
            (_, _) => Task.FromResult(new MutationResponse { Success = true })).DefaultTimeout();

        mutations.LastMeasurement!.Tags["result"].Should().Be("validated");
    }

    [Test]
    public async Task Interceptor_UnchangedResponse_CountsUnchanged()
    {
        using var harness = new MetricsHarness();
        using var tracing = new AlbTracing();
        using var mutations = harness.Collect<long>("marchproxy.config.mutations");
        var interceptor = new MutationTelemetryInterceptor(tracing, harness.Metrics);

        await interceptor.UnaryServerHandler(
            new TrafficWeightRequest(),
            new TestServerCallContext("/marchproxy.ModuleService/SetTrafficWeight"),
            (_, _) => Task.FromResult(new TrafficWeightResponse { Success = true, Unchanged = true, Version = 4 })).DefaultTimeout();

        mutations.LastMeasurement!.Tags["result"].Should().Be("unchanged");
    }

    [Test]
    public async Task Interceptor_RpcException_CountsTheStatusCodeAndRethrows()
    {
        using var harness = new MetricsHarness();
        using var tracing = new AlbTracing();
        using var recorder = new ActivityRecorder();
        using var mutations = harness.Collect<long>("marchproxy.config.mutations");
        var interceptor = new MutationTelemetryInterceptor(tracing, harness.Metrics);

        var call = () => interceptor.UnaryServerHandler<DeleteRequest, MutationResponse>(
            new DeleteRequest { Name = "web" },
            new TestServerCallContext("/marchproxy.ModuleService/DeleteCluster"),
            (_, _) => throw new RpcException(new Status(StatusCode.FailedPrecondition, "cluster web is used by route checkout")));

        (await call.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.FailedPrecondition);
        mutations.LastMeasurement!.Tags["result"].Should().Be("failed_precondition");
        mutations.LastMeasurement.Tags["rpc"].Should().Be("DeleteCluster");
        recorder.Stopped.Single().Status.Should().Be(ActivityStatusCode.Error);
    }

    [Test]
    public async Task Interceptor_UnsuccessfulResponse_CountsFailed()
    {
        using var harness = new MetricsHarness();
        using var tracing = new AlbTracing();
        using var mutations = harness.Collect<long>("marchproxy.config.mutations");
        var interceptor = new MutationTelemetryInterceptor(tracing, harness.Metrics);

        await interceptor.UnaryServerHandler(
            new ReloadRequest { Force = true },
            new TestServerCallContext("/marchproxy.ModuleService/Reload"),
            (_, _) => Task.FromResult(new ReloadResponse { Success = false, Message = "hot restart timed out" })).DefaultTimeout();

        mutations.LastMeasurement!.Tags["result"].Should().Be("failed");
    }

    [Test]
    public async Task Interceptor_Query_IsNeitherCountedNorTraced()
    {
        using var harness = new MetricsHarness();
        using var tracing = new AlbTracing();
        using var recorder = new ActivityRecorder();
        using var mutations = harness.Collect<long>("marchproxy.config.mutations");
        var interceptor = new MutationTelemetryInterceptor(tracing, harness.Metrics);

        var response = await interceptor.UnaryServerHandler(
            new StatusRequest(),
            new TestServerCallContext("/marchproxy.ModuleService/GetStatus"),
            (_, _) => Task.FromResult(new StatusResponse { ModuleId = "alb-1" })).DefaultTimeout();

        response.ModuleId.Should().Be("alb-1");
        mutations.GetMeasurementSnapshot().Should().BeEmpty();
        recorder.Stopped.Should().BeEmpty();
    }

    [Test]
    public void PersistenceDecorator_SaveFails_CountsAFailureAndRethrows()
    {
        using var harness = new MetricsHarness();
        using var tracing = new AlbTracing();
        using var failures = harness.Collect<long>("marchproxy.config.persist.failures");
        var persistence = new TracingStatePersistence(new FakeStatePersistence { Failure = new IOException("disk full") }, tracing, harness.Metrics);

        var save = () => persistence.Save(StoredState.Empty);

        save.Should().Throw<IOException>().WithMessage("disk full");
        failures.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1);
    }
}
