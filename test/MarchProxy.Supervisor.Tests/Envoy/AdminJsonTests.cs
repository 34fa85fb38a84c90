using MarchProxy.Supervisor.Envoy;

namespace MarchProxy.Supervisor.Tests.Envoy;

[TestFixture]
public sealed class AdminJsonTests
{
    [Test]
    public void ParseServerInfo_EnvoyShape_VersionStateEpochAndBaseId()
    {
        const string json = """
            {"version":"3b5c8f1a/1.31.2/Clean/RELEASE/BoringSSL","state":"INITIALIZING","hot_restart_version":"11.104",
             "command_line_options":{"base_id":"9901","concurrency":2,"restart_epoch":4,"drain_time":"600s"},
             "uptime_current_epoch":"12.500s","uptime_all_epochs":"300s"}
            """;

        var info = AdminJson.ParseServerInfo(json);

        info.Version.Should().Be("3b5c8f1a/1.31.2/Clean/RELEASE/BoringSSL");
        info.SemanticVersion.Should().Be("1.31.2");
        info.State.Should().Be("INITIALIZING");
        info.IsLive.Should().BeFalse();
        info.RestartEpoch.Should().Be(4);
        info.BaseId.Should().Be(9901);
        info.HotRestartVersion.Should().Be("11.104");
        info.UptimeCurrentEpoch.Should().Be(TimeSpan.FromSeconds(12.5));
    }

    [Test]
    public void ParseServerInfo_VersionWithoutSemanticPart_WholeString()
    {
        AdminJson.ParseServerInfo("""{"version":"custom-build","state":"LIVE"}""").SemanticVersion.Should().Be("custom-build");
    }

    [Test]
    public void ParseServerInfo_NotJson_EnvoyAdminException()
    {
        var parse = () => AdminJson.ParseServerInfo("<html>");

        parse.Should().Throw<EnvoyAdminException>();
    }

    [Test]
    public void ParseStats_EnvoyShape_ValuesAndHistogramsTextReadoutsSkipped()
    {
        const string json = """
            {"stats":[
              {"name":"server.total_connections","value":3},
              {"name":"cluster.a.upstream_rq_total","value":12345678901},
              {"name":"server.version_text","value":"1.31.2"},
              {"histograms":{"supported_quantiles":[0,50,100],
                "computed_quantiles":[{"name":"http.ingress.downstream_rq_time","values":[{"interval":null,"cumulative":1},{"interval":2.5,"cumulative":3},{"interval":null,"cumulative":9}]}]}}
            ]}
            """;

        var stats = AdminJson.ParseStats(json);

        stats.Values.Should().HaveCount(2);
        stats.Get("server.total_connections").Should().Be(3);
        stats.Get("cluster.a.upstream_rq_total").Should().Be(12345678901);
        stats.Get("server.version_text").Should().BeNull();
        stats.SupportedQuantiles.Should().Equal(0, 50, 100);
        var histogram = stats.Histograms.Single();
        histogram.Name.Should().Be("http.ingress.downstream_rq_time");
        histogram.Interval.Should().Equal(null, 2.5, null);
        histogram.Cumulative.Should().Equal(1, 3, 9);
    }
}
