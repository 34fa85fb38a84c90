using System.Diagnostics;
using System.Net;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Health.V1;
using MarchProxy.Api.V1;

namespace MarchProxy.Process.Tests;

/// <summary>SIGTERM and SIGINT to the published ALB: the documented shutdown sequence, seen from outside.</summary>
public sealed class ShutdownTests
{
    private const string ClusterType = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    [Test]
    public async Task Sigterm_SupervisedEnvoyAndRemoteAdsClient_DrainsWhileAdsServesThenExitsZeroWithinTheBudget()
    {
        await using var scenario = AlbScenario.Supervised();
        scenario.Environment["SHUTDOWN_TIMEOUT"] = "30s";
        scenario.Environment["DRAIN_TIMEOUT"] = "20s";
        var alb = await scenario.StartAsync();
        await scenario.WaitReadyAsync();
        using var remote = await OpenRemoteAdsStreamAsync(scenario, "remote-envoy-1");
        using var watch = scenario.Client.WatchEvents(new WatchEventsRequest());
        var remoteEnd = StreamEnd.OfAsync(remote.ResponseStream, whenResetAfterTheEnd: StatusCode.Unavailable);
        var watchEnd = StreamEnd.OfAsync(watch.ResponseStream, whenResetAfterTheEnd: StatusCode.OK);
        // Four connections, one fewer at each poll: the drain takes a few polls, long enough to look at the ALB meanwhile.
        await scenario.PostAdminAsync("/fake/stats", """{"gauges":{"server.total_connections":4}}""");
        var health = new Health.HealthClient(scenario.Channel(scenario.Ports.ApiAddress));

        var stopwatch = Stopwatch.StartNew();
        alb.Signal(PosixSignal.SigTerm);
        await Poll.UntilAsync(() => scenario.ReadCallLog().Any(c => c.EndsWith("POST /healthcheck/fail", StringComparison.Ordinal)), "Envoy's drain to begin");
        var readyDuringDrain = await scenario.ReadyzAsync();
        var healthDuringDrain = (await health.CheckAsync(new HealthCheckRequest { Service = "marchproxy.ModuleService" }).ResponseAsync.DefaultTimeout()).Status;
        var exitCode = await alb.WaitForExitAsync(TimeSpan.FromSeconds(40));
        stopwatch.Stop();
        TestContext.Out.WriteLine($"SIGTERM to exit: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");

        exitCode.Should().Be(0);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "SHUTDOWN_TIMEOUT is the whole budget");
        readyDuringDrain.Should().Be(HttpStatusCode.ServiceUnavailable);
        healthDuringDrain.Should().Be(HealthCheckResponse.Types.ServingStatus.NotServing);
        var calls = scenario.ReadCallLog().Where(c => !c.EndsWith("GET /ready", StringComparison.Ordinal) && !c.EndsWith("GET /server_info", StringComparison.Ordinal)).ToList();
        var drain = calls.SkipWhile(c => !c.EndsWith("POST /healthcheck/fail", StringComparison.Ordinal)).ToList();
        drain.First().Should().Be("0 POST /healthcheck/fail");
        drain.Skip(1).First().Should().Be("0 POST /drain_listeners?graceful");
        drain.Should().Contain(c => c.Contains("server%5C.total_connections", StringComparison.Ordinal), "the drain polls the connection count");
        drain.Last().Should().Be("0 POST /quitquitquit");
        calls.Should().NotContain(c => c.Contains("SIGNAL", StringComparison.Ordinal), "Envoy quit on /quitquitquit, no signal was needed");
        (await remoteEnd.DefaultTimeout()).Should().Be(StatusCode.Unavailable, "xDS clients reconnect elsewhere on UNAVAILABLE");
        (await watchEnd.DefaultTimeout()).Should().Be(StatusCode.OK);

        // The ALB's own log shows the order: Envoy stopped while ADS still served, then the streams closed.
        var output = alb.Output;
        var envoyStopped = IndexOf(output, "[2035]");
        var remoteClosed = IndexOf(output, "node remote-envoy-1 (Envoy) closed");
        var streamsClosed = IndexOf(output, "[3204]");
        envoyStopped.Should().BeLessThan(remoteClosed);
        remoteClosed.Should().BeLessThan(IndexOf(output, "stopped in"));
        streamsClosed.Should().BeLessThan(IndexOf(output, "stopped in"));
        output[^1].Should().Contain("MarchProxy ALB stopped in").And.Contain("clean: True");
    }

    [Test]
    public async Task Sigint_ControlPlaneOnlyWithAdsClients_ClosesTheStreamsAndExitsZeroPromptly()
    {
        await using var scenario = AlbScenario.ControlPlaneOnly();
        var alb = await scenario.StartAsync();
        await scenario.WaitReadyAsync();
        using var remote = await OpenRemoteAdsStreamAsync(scenario, "remote-envoy-2");
        var remoteEnd = StreamEnd.OfAsync(remote.ResponseStream, whenResetAfterTheEnd: StatusCode.Unavailable);

        // A client that never reads again keeps its HTTP/2 connection open: the servers' stop cuts it off.
        using var stuck = await OpenRemoteAdsStreamAsync(scenario, "stuck-client");

        var stopwatch = Stopwatch.StartNew();
        alb.Signal(PosixSignal.SigInt);
        var exitCode = await alb.WaitForExitAsync(TimeSpan.FromSeconds(40));
        stopwatch.Stop();
        TestContext.Out.WriteLine($"SIGINT to exit: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");

        exitCode.Should().Be(0);
        (await remoteEnd.DefaultTimeout()).Should().Be(StatusCode.Unavailable);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "no Envoy to drain, and an open ADS stream no longer holds the stop for SHUTDOWN_TIMEOUT");
        alb.Output[^1].Should().Contain("MarchProxy ALB stopped in").And.Contain("clean: True");
    }

    /// <summary>A state-of-the-world ADS stream like a remote Envoy's, which has received its clusters.</summary>
    private static async Task<AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse>> OpenRemoteAdsStreamAsync(AlbScenario scenario, string nodeId)
    {
        var client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(scenario.Channel(new Uri($"http://127.0.0.1:{scenario.XdsPort}")));
        var call = client.StreamAggregatedResources();
        await call.RequestStream.WriteAsync(new DiscoveryRequest { Node = new Node { Id = nodeId, Cluster = "remote" }, TypeUrl = ClusterType }).DefaultTimeout();
        (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeTrue();
        return call;
    }

    private static int IndexOf(IReadOnlyList<string> lines, string text)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Contains(text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new AssertionException($"No line contains '{text}'.");
    }
}
