using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using MarchProxy.Alb.Configuration;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>The documented TLS set-up: Alb:ApiTls plus Kestrel's default certificate settings.</summary>
public sealed class ApiTlsTests
{
    [Test]
    public async Task GetStatus_ApiTlsWithKestrelDefaultCertificate_IsServedOverTls()
    {
        using var dir = new TempDirectory();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=alb-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        await File.WriteAllTextAsync(dir.Combine("cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(dir.Combine("key.pem"), key.ExportPkcs8PrivateKeyPem());
        var settings = new Dictionary<string, string?>
        {
            ["Alb:ApiTls"] = "true",
            ["Kestrel:Certificates:Default:Path"] = dir.Combine("cert.pem"),
            ["Kestrel:Certificates:Default:KeyPath"] = dir.Combine("key.pem"),
        };
        await using var host = await AlbTestHost.StartAsync(dir, settings: settings);
        string? presented = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    presented = cert?.GetCertHashString();
                    return presented == certificate.GetCertHashString();
                },
            },
        };
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{host.Port(EndpointRole.Api)}", new GrpcChannelOptions { HttpHandler = handler });

        var status = await new ModuleService.ModuleServiceClient(channel).GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();

        status.ModuleType.Should().Be("ALB");
        presented.Should().Be(certificate.GetCertHashString());
    }
}
