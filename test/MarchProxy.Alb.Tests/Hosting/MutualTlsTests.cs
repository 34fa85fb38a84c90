using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Net.Client;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MarchProxy.Alb.Tests.Hosting;

/// <summary>ADS and the API over mutual TLS: only clients with a certificate from the configured CA are served.</summary>
public sealed class MutualTlsTests
{
    private TempDirectory _dir = null!;
    private TestCertificates _certificates = null!;
    private FakeLogCollector _logs = null!;
    private AlbTestHost _host = null!;

    [OneTimeSetUp]
    public async Task OneTimeSetUp()
    {
        _dir = new TempDirectory();
        _certificates = new TestCertificates(_dir);
        _logs = new FakeLogCollector();
        var logs = _logs;
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Alb:XdsTls"] = "true",
            ["Alb:XdsTlsCertFile"] = _certificates.ServerCertFile,
            ["Alb:XdsTlsKeyFile"] = _certificates.ServerKeyFile,
            ["Alb:XdsTlsClientCaFile"] = _certificates.CaFile,
            ["Alb:XdsTlsClientCertificate"] = "required",
            ["Alb:ApiTls"] = "true",
            ["Kestrel:Certificates:Default:Path"] = _certificates.ServerCertFile,
            ["Kestrel:Certificates:Default:KeyPath"] = _certificates.ServerKeyFile,
            ["Alb:ApiTlsClientCaFile"] = _certificates.CaFile,
            ["Alb:ApiTlsClientCertificate"] = "required",
        };
        _host = await AlbTestHost.StartAsync(_dir, settings: settings, services: s => s.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs))));
    }

    [OneTimeTearDown]
    public async Task OneTimeTearDown()
    {
        await _host.DisposeAsync();
        _certificates.Dispose();
        _dir.Dispose();
    }

    [Test]
    public async Task Ads_ClientCertificateFromTheCa_IsServedAndLoggedWithItsIdentity()
    {
        using var channel = Channel(EndpointRole.Xds, _certificates.Client, out _);

        var response = await FirstAdsResponseAsync(channel).DefaultTimeout();

        response.TypeUrl.Should().Be(ResourceTypes.Cluster);
        response.VersionInfo.Should().NotBeEmpty();
        _logs.GetSnapshot().Where(r => r.Id.Id == 1100).Should().NotBeEmpty()
            .And.OnlyContain(r => r.Message.Contains("CN=envoy-1") && r.Message.Contains("DNS:envoy-1.internal"));
    }

    [Test]
    public async Task Ads_NoClientCertificate_IsRefused()
    {
        using var channel = Channel(EndpointRole.Xds, clientCertificate: null, out _);

        var act = () => FirstAdsResponseAsync(channel).DefaultTimeout();

        await ShouldBeRefusedAsync(act);
    }

    [Test]
    public async Task Ads_ClientCertificateFromAnotherCa_IsRefused()
    {
        using var channel = Channel(EndpointRole.Xds, _certificates.ForeignClient, out _);

        var act = () => FirstAdsResponseAsync(channel).DefaultTimeout();

        await ShouldBeRefusedAsync(act);
    }

    [Test]
    public async Task Api_ClientCertificateFromTheCa_IsServedAndLoggedWithItsIdentity()
    {
        using var channel = Channel(EndpointRole.Api, _certificates.Client, out _);
        var client = new ModuleService.ModuleServiceClient(channel);

        await client.UpsertClusterAsync(Requests.UpsertCluster("mtls")).ResponseAsync.DefaultTimeout();

        _logs.GetSnapshot().Where(r => r.Id.Id == 3005).Should().ContainSingle()
            .Which.Message.Should().Contain("CN=envoy-1").And.Contain("DNS:envoy-1.internal");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Api_NoOrForeignClientCertificate_IsRefused(bool foreign)
    {
        using var channel = Channel(EndpointRole.Api, foreign ? _certificates.ForeignClient : null, out _);
        var client = new ModuleService.ModuleServiceClient(channel);

        var act = () => client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();

        await ShouldBeRefusedAsync(act);
    }

    [Test]
    [NonParallelizable]
    public async Task Ads_ServerCertificateFilesReplaced_NewCertificateServedWithoutRestart()
    {
        using var renewed = _certificates.IssueServer("CN=alb-server-renewed");

        _certificates.WriteServer(renewed);

        await Poll.UntilAsync(
            async () =>
            {
                using var channel = Channel(EndpointRole.Xds, _certificates.Client, out var presented);
                await FirstAdsResponseAsync(channel).DefaultTimeout();
                return presented() == renewed.Thumbprint;
            },
            "the renewed server certificate to be served");
        _certificates.WriteServer(_certificates.Server);
    }

    /// <summary>
    /// The server ends the TLS handshake: the call fails UNAVAILABLE, or (with TLS 1.3, where the client
    /// finishes its side first) the first write finds the connection closed.
    /// </summary>
    /// <summary>
    /// The server ends the TLS handshake; depending on when the client learns of it (with TLS 1.3 the
    /// client's handshake can finish before the server has checked its certificate), the call fails
    /// as UNAVAILABLE, as an I/O error, or as INTERNAL because the HTTP/2 preface never completed.
    /// Never with a response.
    /// </summary>
    private static async Task ShouldBeRefusedAsync(Func<Task> act)
    {
        var error = (await act.Should().ThrowAsync<Exception>()).Which;
        error.Should().Match<Exception>(e =>
            (e is RpcException && ((RpcException)e).StatusCode == StatusCode.Unavailable)
            || (e is RpcException && ((RpcException)e).StatusCode == StatusCode.Internal && ((RpcException)e).Status.Detail.Contains("did not complete the HTTP/2 handshake"))
            || e is IOException);
    }

    /// <summary>An Envoy-like client: opens an ADS stream, sends its node and a CDS request, reads the first response.</summary>
    private static async Task<DiscoveryResponse> FirstAdsResponseAsync(GrpcChannel channel)
    {
        using var call = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel).StreamAggregatedResources();
        await call.RequestStream.WriteAsync(new DiscoveryRequest
        {
            TypeUrl = ResourceTypes.Cluster,
            Node = new Node { Id = "envoy-mtls", Cluster = "test", UserAgentName = "envoy" },
        });
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        return call.ResponseStream.Current;
    }

    /// <summary>A TLS channel that trusts the test CA and presents <paramref name="clientCertificate"/> (if any).</summary>
    private GrpcChannel Channel(EndpointRole role, X509Certificate2? clientCertificate, out Func<string?> presented)
    {
        string? seen = null;
        presented = () => seen;
        var ca = _certificates.Ca;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    seen = certificate is X509Certificate2 c ? c.Thumbprint : null;
                    return certificate is X509Certificate2 server && chain.Build(server);
                },
            },
        };
        return GrpcChannel.ForAddress($"https://127.0.0.1:{_host.Port(role)}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
