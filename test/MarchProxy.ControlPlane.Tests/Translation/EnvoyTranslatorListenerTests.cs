using Envoy.Config.Accesslog.V3;
using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.AccessLoggers.Stream.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;

namespace MarchProxy.ControlPlane.Tests.Translation;

public sealed class EnvoyTranslatorListenerTests
{
    [Test]
    public void Translate_EmptyState_EmitsDefaultListenerAndEmptyRouteConfiguration()
    {
        var translator = new EnvoyTranslator(Options.Create(new TranslationOptions { DefaultListenerPort = 10001 }), NullLogger<EnvoyTranslator>.Instance);

        var resources = translator.Translate(DesiredState.Empty);

        resources.Clusters.Should().BeEmpty();
        resources.Endpoints.Should().BeEmpty();
        resources.Listeners.Should().Equal(ExpectedListener("default", "0.0.0.0", 10001));
        resources.Routes.Should().Equal(new RouteConfiguration { Name = "marchproxy_routes" });
    }

    [Test]
    public void Translate_ModelListeners_ReplaceTheDefaultAndShareOneRouteConfiguration()
    {
        var translator = NewTranslator();

        var resources = translator.Translate(State(Listener("public", 8080), Listener("admin", 8081) with { Address = "127.0.0.1" }));

        resources.Listeners.Should().Equal(ExpectedListener("admin", "127.0.0.1", 8081), ExpectedListener("public", "0.0.0.0", 8080));
        resources.Routes.Should().ContainSingle().Which.Should().BeOfType<RouteConfiguration>().Which.Name.Should().Be("marchproxy_routes");
    }

    [Test]
    public void Translate_TlsListener_TerminatesTlsWithTheCertificateAndKey()
    {
        var translator = NewTranslator();
        var tls = new ListenerTlsSpec { CertificateChain = new DataSpec { FilePath = "/certs/tls.crt" }, PrivateKey = new DataSpec { Inline = "KEY PEM" } };

        var listener = (Listener)translator.Translate(State(Listener("secure", 8443) with { Tls = tls })).Listeners.Single();

        var expected = ExpectedListener("secure", "0.0.0.0", 8443);
        expected.FilterChains[0].TransportSocket = new TransportSocket
        {
            Name = "envoy.transport_sockets.tls",
            TypedConfig = Any.Pack(new DownstreamTlsContext
            {
                CommonTlsContext = new CommonTlsContext
                {
                    TlsCertificates =
                    {
                        new TlsCertificate
                        {
                            CertificateChain = new DataSource { Filename = "/certs/tls.crt" },
                            PrivateKey = new DataSource { InlineString = "KEY PEM" },
                        },
                    },
                    AlpnProtocols = { "h2", "http/1.1" },
                },
            }),
        };
        listener.Should().Be(expected);
    }

    [Test]
    public void Translate_AccessLogOff_LeavesAccessLogOut()
    {
        var translator = new EnvoyTranslator(Options.Create(new TranslationOptions { AccessLogToStdout = false }), NullLogger<EnvoyTranslator>.Instance);

        var listener = (Listener)translator.Translate(DesiredState.Empty).Listeners.Single();

        listener.FilterChains[0].Filters[0].TypedConfig.Unpack<HttpConnectionManager>().AccessLog.Should().BeEmpty();
    }

    [Test]
    public void Translate_RouteChange_ReturnsTheSameListenerInstances()
    {
        var translator = NewTranslator();
        var state = State(Cluster("web"), Route("api", "web"), Listener("public", 8080));
        var first = translator.Translate(state);

        var second = translator.Translate(state.WithRoute(Route("api", "web") with { WebSocket = true }) with { Version = 2 });

        second.Listeners.Should().ContainSingle().Which.Should().BeSameAs(first.Listeners[0]);
        second.Routes[0].Should().NotBeSameAs(first.Routes[0]);
    }

    /// <summary>Built by hand from the Envoy docs, independently of the translator's builders.</summary>
    internal static Listener ExpectedListener(string name, string address, int port)
    {
        var hcm = new HttpConnectionManager
        {
            StatPrefix = name,
            CodecType = HttpConnectionManager.Types.CodecType.Auto,
            Rds = new Rds
            {
                RouteConfigName = "marchproxy_routes",
                ConfigSource = new ConfigSource { Ads = new AggregatedConfigSource(), ResourceApiVersion = ApiVersion.V3 },
            },
            HttpFilters =
            {
                new HttpFilter
                {
                    Name = "envoy.filters.http.local_ratelimit",
                    TypedConfig = Any.Pack(new LocalRateLimit { StatPrefix = "http_local_rate_limiter" }),
                },
                new HttpFilter { Name = "envoy.filters.http.router", TypedConfig = Any.Pack(new Router()) },
            },
            AccessLog = { new AccessLog { Name = "envoy.access_loggers.stdout", TypedConfig = Any.Pack(new StdoutAccessLog()) } },
            UpgradeConfigs = { new HttpConnectionManager.Types.UpgradeConfig { UpgradeType = "websocket", Enabled = false } },
        };

        return new Listener
        {
            Name = name,
            Address = new Address { SocketAddress = new SocketAddress { Address = address, PortValue = (uint)port } },
            FilterChains =
            {
                new FilterChain
                {
                    Filters = { new Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(hcm) } },
                },
            },
        };
    }

    private static EnvoyTranslator NewTranslator() =>
        new(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance);
}
