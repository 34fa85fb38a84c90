using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Hosting;

namespace MarchProxy.Alb.Tests.Hosting;

/// <summary>TLS settings that cannot work stop the start with one line naming the setting.</summary>
public sealed class TlsSettingsTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task Build_XdsTlsCertificateFileMissing_OneLineNamingTheSetting()
    {
        await File.WriteAllTextAsync(_dir.Combine("alb.json"), AlbTestHost.EmptyConfig);
        // Building the host configures Kestrel, which loads the certificate; AlbProgram reports it as exit code 2.
        var build = () => AlbTestHost.Build(_dir.Combine("data"), _dir.Combine("alb.json"), new Dictionary<string, string?>
        {
            ["Alb:XdsTls"] = "true",
            ["Alb:XdsTlsCertFile"] = _dir.Combine("missing.pem"),
            ["Alb:XdsTlsKeyFile"] = _dir.Combine("missing-key.pem"),
        });

        var error = build.Should().Throw<AlbConfigurationException>().Which;
        StartupErrors.IsConfigurationError(error).Should().BeTrue();
        var line = StartupErrors.Describe(error);
        line.Should().Contain("XDS_TLS_CERT_FILE").And.Contain("missing.pem").And.NotContain(Environment.NewLine);
        Directory.Exists(_dir.Combine("data")).Should().BeFalse();
    }

    [Test]
    public async Task Preflight_ClientCertificateRequiredWithoutCaBundle_NamesBothSettings()
    {
        await File.WriteAllTextAsync(_dir.Combine("alb.json"), AlbTestHost.EmptyConfig);
        await using var app = AlbTestHost.Build(_dir.Combine("data"), _dir.Combine("alb.json"), new Dictionary<string, string?>
        {
            ["Alb:XdsTlsClientCertificate"] = "required",
        });

        var preflight = () => AlbProgram.PreflightAsync(app.Services);

        var line = StartupErrors.Describe((await preflight.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which);
        line.Should().Contain("XDS_TLS_CLIENT_CERTIFICATE").And.Contain("XDS_TLS_CLIENT_CA_FILE");
    }
}
