using System.Text.Json;
using Envoy.Config.Bootstrap.V3;
using Envoy.Config.Core.V3;
using Google.Protobuf;
using MarchProxy.Supervisor.Envoy;
using UpstreamHttpProtocolOptions = Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions;

namespace MarchProxy.Supervisor.Tests.Envoy;

[TestFixture]
public sealed class BootstrapBuilderTests
{
    private static EnvoyOptions Options(XdsMode mode = XdsMode.Delta) => new()
    {
        NodeId = "alb-7",
        NodeCluster = "edge",
        AdminPort = 9911,
        XdsAddress = "127.0.0.1",
        XdsPort = 18123,
        XdsMode = mode,
    };

    [TestCase(XdsMode.Delta, "DELTA_GRPC")]
    [TestCase(XdsMode.Sotw, "GRPC")]
    public void Format_Options_AdsConfigAsEnvoyExpects(XdsMode mode, string apiType)
    {
        using var json = JsonDocument.Parse(BootstrapWriter.Format(BootstrapBuilder.Build(Options(mode))));
        var dynamic = json.RootElement.GetProperty("dynamic_resources");
        var ads = dynamic.GetProperty("ads_config");

        ads.GetProperty("api_type").GetString().Should().Be(apiType);
        ads.GetProperty("transport_api_version").GetString().Should().Be("V3");
        ads.GetProperty("set_node_on_first_message_only").GetBoolean().Should().BeTrue();
        ads.GetProperty("grpc_services")[0].GetProperty("envoy_grpc").GetProperty("cluster_name").GetString().Should().Be("xds_cluster");
        foreach (var name in new[] { "cds_config", "lds_config" })
        {
            var source = dynamic.GetProperty(name);
            source.GetProperty("ads").EnumerateObject().Should().BeEmpty();
            source.GetProperty("resource_api_version").GetString().Should().Be("V3");
            source.GetProperty("initial_fetch_timeout").GetString().Should().Be("0s");
        }
    }

    [Test]
    public void Format_Options_StaticXdsClusterIsHttp2WithTcpKeepalive()
    {
        using var json = JsonDocument.Parse(BootstrapWriter.Format(BootstrapBuilder.Build(Options())));
        var cluster = json.RootElement.GetProperty("static_resources").GetProperty("clusters").EnumerateArray().Single();

        cluster.GetProperty("name").GetString().Should().Be("xds_cluster");
        cluster.GetProperty("type").GetString().Should().Be("STATIC");
        var address = cluster.GetProperty("load_assignment").GetProperty("endpoints")[0].GetProperty("lb_endpoints")[0]
            .GetProperty("endpoint").GetProperty("address").GetProperty("socket_address");
        address.GetProperty("address").GetString().Should().Be("127.0.0.1");
        address.GetProperty("port_value").GetInt32().Should().Be(18123);
        var protocol = cluster.GetProperty("typed_extension_protocol_options").GetProperty("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
        protocol.GetProperty("@type").GetString().Should().Be("type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
        protocol.GetProperty("explicit_http_config").GetProperty("http2_protocol_options").ValueKind.Should().Be(JsonValueKind.Object);
        cluster.GetProperty("upstream_connection_options").GetProperty("tcp_keepalive").GetProperty("keepalive_time").GetInt32().Should().Be(30);
    }

    [Test]
    public void Format_PlaintextAds_NoTransportSocket()
    {
        using var json = JsonDocument.Parse(BootstrapWriter.Format(BootstrapBuilder.Build(Options())));
        var cluster = json.RootElement.GetProperty("static_resources").GetProperty("clusters").EnumerateArray().Single();

        cluster.TryGetProperty("transport_socket", out _).Should().BeFalse("the local default is plaintext on loopback");
    }

    [Test]
    public void Format_TlsAds_TransportSocketWithClientCertificateCaAndH2()
    {
        var options = Options();
        options.XdsTls = true;
        options.XdsTlsCaFile = "/etc/alb/ca.pem";
        options.XdsTlsCertFile = "/etc/alb/envoy.pem";
        options.XdsTlsKeyFile = "/etc/alb/envoy-key.pem";
        options.XdsTlsServerName = "alb.internal";

        using var json = JsonDocument.Parse(BootstrapWriter.Format(BootstrapBuilder.Build(options)));
        var socket = json.RootElement.GetProperty("static_resources").GetProperty("clusters")[0].GetProperty("transport_socket");

        socket.GetProperty("name").GetString().Should().Be("envoy.transport_sockets.tls");
        var context = socket.GetProperty("typed_config");
        context.GetProperty("@type").GetString().Should().Be("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext");
        context.GetProperty("sni").GetString().Should().Be("alb.internal");
        var common = context.GetProperty("common_tls_context");
        common.GetProperty("alpn_protocols")[0].GetString().Should().Be("h2");
        var certificate = common.GetProperty("tls_certificates")[0];
        certificate.GetProperty("certificate_chain").GetProperty("filename").GetString().Should().Be("/etc/alb/envoy.pem");
        certificate.GetProperty("private_key").GetProperty("filename").GetString().Should().Be("/etc/alb/envoy-key.pem");
        common.GetProperty("validation_context").GetProperty("trusted_ca").GetProperty("filename").GetString().Should().Be("/etc/alb/ca.pem");
    }

    [Test]
    public void Format_Options_AdminOnLoopbackAndNode()
    {
        using var json = JsonDocument.Parse(BootstrapWriter.Format(BootstrapBuilder.Build(Options())));
        var root = json.RootElement;

        var admin = root.GetProperty("admin").GetProperty("address").GetProperty("socket_address");
        admin.GetProperty("address").GetString().Should().Be("127.0.0.1");
        admin.GetProperty("port_value").GetInt32().Should().Be(9911);
        root.GetProperty("node").GetProperty("id").GetString().Should().Be("alb-7");
        root.GetProperty("node").GetProperty("cluster").GetString().Should().Be("edge");
    }

    [Test]
    public void Write_Options_AtomicFileThatParsesBackToTheSameMessage()
    {
        var directory = Directory.CreateTempSubdirectory("marchproxy-bootstrap-").FullName;
        try
        {
            var options = Options();
            options.DataDir = Path.Combine(directory, "nested", "data");

            var path = BootstrapWriter.Write(options);

            path.Should().Be(Path.Combine(options.DataDir, "envoy-bootstrap.json"));
            Directory.GetFiles(options.DataDir).Should().Equal(path);
            var parser = new JsonParser(JsonParser.Settings.Default.WithTypeRegistry(BootstrapWriter.TypeRegistry));
            var parsed = parser.Parse<Bootstrap>(File.ReadAllText(path));
            parsed.Should().Be(BootstrapBuilder.Build(options));
            parsed.StaticResources.Clusters[0].TypedExtensionProtocolOptions.Values.Single()
                .Unpack<UpstreamHttpProtocolOptions>().ExplicitHttpConfig.Http2ProtocolOptions.Should().NotBeNull();
            parsed.DynamicResources.AdsConfig.ApiType.Should().Be(ApiConfigSource.Types.ApiType.DeltaGrpc);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
