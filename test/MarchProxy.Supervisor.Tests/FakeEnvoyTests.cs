using System.Net;
using MarchProxy.Supervisor.Envoy;
using MarchProxy.Supervisor.Tests.Infrastructure;

namespace MarchProxy.Supervisor.Tests;

/// <summary>The fake Envoy behaves like Envoy from the outside: flags, --mode validate, admin API, stats, base-id exclusivity.</summary>
[TestFixture]
public sealed class FakeEnvoyTests
{
    [Test]
    public async Task Validate_OurBootstrap_Ok()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        var path = BootstrapWriter.Write(harness.Options);

        var (exitCode, output) = await FakeEnvoyRun.RunAsync(harness.Binary.ScriptPath, "--mode", "validate", "-c", path);

        exitCode.Should().Be(0);
        output.Should().Contain($"configuration '{path}' OK");
    }

    [Test]
    public async Task Validate_BootstrapWithoutAds_ExitsOneWithTheReason()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        var path = Path.Combine(harness.Root, "broken.json");
        await File.WriteAllTextAsync(path, """{"admin":{"address":{"socket_address":{"address":"127.0.0.1","port_value":9901}}}}""");

        var (exitCode, output) = await FakeEnvoyRun.RunAsync(harness.Binary.ScriptPath, "--mode", "validate", "-c", path);

        exitCode.Should().Be(1);
        output.Should().Contain("ads_config");
    }

    [TestCase("--no-such-flag", "Couldn't find match")]
    [TestCase("--restart-epoch 1 --use-dynamic-base-id", "cannot use --restart-epoch=1 with --use-dynamic-base-id")]
    public async Task Flags_Rejected_ExitsOneLikeEnvoy(string flags, string message)
    {
        await using var harness = await SupervisorHarness.CreateAsync();

        var (exitCode, output) = await FakeEnvoyRun.RunAsync(harness.Binary.ScriptPath, flags.Split(' '));

        exitCode.Should().Be(1);
        output.Should().Contain(message);
    }

    [Test]
    public async Task Admin_GetOnMutatingEndpoint_MethodNotAllowedAndNoEffect()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        await harness.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = SupervisorServiceCollectionExtensions.AdminBaseAddress(harness.Options) };

        using var response = await http.GetAsync(new Uri("quitquitquit", UriKind.Relative)).DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await response.Content.ReadAsStringAsync()).Should().Contain("POST required");
        (await harness.Admin.GetReadyAsync().DefaultTimeout()).IsLive.Should().BeTrue();
    }

    [Test]
    public async Task Stats_SetByTest_ReadThroughJsonAndPrometheus()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        await harness.WaitReadyAsync();
        await harness.PostFakeAsync("/fake/stats", """
            {"counters":{"cluster.backend.upstream_rq_total":42,"http.ingress.downstream_rq_2xx":7},
             "histograms":{"http.ingress.downstream_rq_time":[1,2,3,4,100]}}
            """);

        var stats = await harness.Admin.GetStatsAsync().DefaultTimeout();
        var prometheus = await harness.Admin.GetPrometheusStatsAsync().DefaultTimeout();

        stats.Get("cluster.backend.upstream_rq_total").Should().Be(42);
        stats.Get("server.live").Should().Be(1);
        stats.Get("listener_manager.lds.update_success").Should().BeGreaterThan(0);
        stats.SupportedQuantiles.Should().Equal(0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100);
        var histogram = stats.Histograms.Single(h => h.Name == "http.ingress.downstream_rq_time");
        histogram.Cumulative[2].Should().Be(3, "the median of 1, 2, 3, 4, 100");
        histogram.Cumulative[^1].Should().Be(100);
        prometheus.Should().Contain("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"backend\"} 42");
        prometheus.Should().Contain("# TYPE envoy_http_downstream_rq_time histogram");
        (await harness.Admin.GetStatsAsync("^server\\.live$").DefaultTimeout()).Values.Keys.Should().Equal("server.live");
    }

    [Test]
    public async Task Start_SecondEpochZeroWithTheSameBaseId_FailsLikeEnvoy()
    {
        await using var harness = await SupervisorHarness.CreateAsync();
        await harness.StartAsync();
        await harness.WaitReadyAsync();
        var path = BootstrapWriter.PathIn(harness.Options.DataDir);

        var (exitCode, output) = await FakeEnvoyRun.RunAsync(
            harness.Binary.ScriptPath, "-c", path, "--restart-epoch", "0", "--base-id", harness.Supervisor.GetStatus().BaseId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        exitCode.Should().Be(1);
        output.Should().Contain("unable to bind domain socket");
    }

    [Test]
    public async Task Xds_FetchedAndAckedByTheFake_VisibleInItsControlEndpoint()
    {
        await using var harness = await SupervisorHarness.CreateAsync(XdsMode.Sotw);
        await harness.StartAsync();
        await harness.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = SupervisorServiceCollectionExtensions.AdminBaseAddress(harness.Options) };

        var xds = await http.GetStringAsync(new Uri("fake/xds", UriKind.Relative)).DefaultTimeout();

        xds.Should().Contain("\"connected\":true").And.Contain("\"backend\"").And.Contain("\"routes\"").And.Contain("\"ingress\"");
        xds.Should().Contain("\"rejected\":{\"cds\":0,\"lds\":0,\"eds\":0,\"rds\":0}");
    }
}
