using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MarchProxy.Alb.Configuration;
using MarchProxy.Cli.Tests.Infrastructure;

namespace MarchProxy.Cli.Tests.Commands;

/// <summary>Where the tool connects, with which key and TLS, and the exit codes of the failures.</summary>
public sealed class ConnectionTests
{
    [Test]
    public async Task ApiKey_FromFlagEnvironmentOrClusterApiKey_Authenticates()
    {
        using var dir = new TempDirectory();
        await using var host = await AlbTestHost.StartAsync(dir, settings: new Dictionary<string, string?> { ["Alb:ClusterApiKey"] = "s3cret" });

        var none = await CliHarness.For(host).RunAsync("status");
        var wrong = await CliHarness.For(host).RunAsync("status", "--api-key", "nope");
        var flag = await CliHarness.For(host).RunAsync("status", "--api-key", "s3cret");
        var env = await CliHarness.For(host).With(GlobalOptions.ApiKeyVariable, "s3cret").RunAsync("status");
        var serverVariable = await CliHarness.For(host).With("CLUSTER_API_KEY", "s3cret").RunAsync("status");

        none.ExitCode.Should().Be(ExitCodes.Unauthenticated, none.ToString());
        none.Error.Should().Contain("UNAUTHENTICATED").And.Contain("--api-key");
        wrong.ExitCode.Should().Be(ExitCodes.Unauthenticated, wrong.ToString());
        flag.ExitCode.Should().Be(ExitCodes.Ok, flag.ToString());
        env.ExitCode.Should().Be(ExitCodes.Ok, env.ToString());
        serverVariable.ExitCode.Should().Be(ExitCodes.Ok, serverVariable.ToString());
    }

    [Test]
    public async Task Server_GrpcPortVariable_IsTheDefaultAddress()
    {
        using var dir = new TempDirectory();
        await using var host = await AlbTestHost.StartAsync(dir);
        var port = host.Port(EndpointRole.Api).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await new CliHarness().With("GRPC_PORT", port).RunAsync("status");

        result.ExitCode.Should().Be(ExitCodes.Ok, result.ToString());
    }

    [Test]
    public async Task Server_NothingListening_ExitsUnavailableWithAHint()
    {
        var result = await new CliHarness("127.0.0.1:1").RunAsync("routes");

        result.ExitCode.Should().Be(ExitCodes.Unavailable, result.ToString());
        result.Error.Should().Contain("UNAVAILABLE").And.Contain("is the ALB running");
    }

    [Test]
    public async Task Tls_PrivateCa_ConnectsWithCaFileAndNotWithout()
    {
        using var dir = new TempDirectory();
        var (caFile, settings) = CreateTlsMaterial(dir);
        await using var host = await AlbTestHost.StartAsync(dir, settings: settings);
        var https = $"https://127.0.0.1:{host.Port(EndpointRole.Api)}";

        var trusted = await new CliHarness(https).RunAsync("status", "--ca-file", caFile);
        var untrusted = await new CliHarness(https).RunAsync("status");
        var skipped = await new CliHarness($"127.0.0.1:{host.Port(EndpointRole.Api)}").RunAsync("status", "--insecure-skip-verify");

        trusted.ExitCode.Should().Be(ExitCodes.Ok, trusted.ToString());
        untrusted.ExitCode.Should().Be(ExitCodes.Unavailable, untrusted.ToString());
        untrusted.Error.Should().Contain("--ca-file");
        skipped.ExitCode.Should().Be(ExitCodes.Ok, skipped.ToString());
    }

    [TestCase("no-such-command")]
    [TestCase("set-weight web blue")]
    [TestCase("rate-limit web fast")]
    [TestCase("status --request-timeout soon")]
    [TestCase("status --server ftp://host")]
    [TestCase("cluster upsert web --endpoint 10.0.0.5")]
    [TestCase("apply -f no-such-file.yaml")]
    public async Task BadArguments_ExitUsageBeforeCallingTheApi(string commandLine)
    {
        var args = commandLine.Split(' ');

        // Nothing listens on port 1: reaching the network would exit 7, not 2.
        var result = await new CliHarness("127.0.0.1:1").RunAsync(args);

        result.ExitCode.Should().Be(ExitCodes.Usage, result.ToString());
        result.Error.Should().StartWith("error:");
    }

    private static (string CaFile, Dictionary<string, string?> Settings) CreateTlsMaterial(TempDirectory dir)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=marchproxy test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=alb-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(50), [1, 2, 3, 4]);

        File.WriteAllText(dir.Combine("ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(dir.Combine("cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.Combine("key.pem"), key.ExportPkcs8PrivateKeyPem());
        return (dir.Combine("ca.pem"), new Dictionary<string, string?>
        {
            ["Alb:ApiTls"] = "true",
            ["Kestrel:Certificates:Default:Path"] = dir.Combine("cert.pem"),
            ["Kestrel:Certificates:Default:KeyPath"] = dir.Combine("key.pem"),
        });
    }
}
