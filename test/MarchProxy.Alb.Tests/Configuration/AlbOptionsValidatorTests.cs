using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Tests.Configuration;

public sealed class AlbOptionsValidatorTests
{
    private readonly AlbOptionsValidator _validator = new();

    [Test]
    public void Validate_Defaults_Succeeds()
    {
        _validator.Validate(null, new AlbOptions()).Succeeded.Should().BeTrue();
    }

    [Test]
    public void Validate_ZeroPorts_SucceedsBecauseZeroMeansAnyFreePort()
    {
        var options = new AlbOptions { GrpcPort = 0, XdsPort = 0, HealthPort = 0, MetricsPort = 0 };

        _validator.Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Test]
    public void Validate_BadValues_ReportsEveryOneNamingTheSetting()
    {
        var options = new AlbOptions
        {
            ModuleId = " ",
            GrpcPort = 70000,
            XdsPort = -1,
            HealthPort = 9090,
            XdsBind = "example.com",
            DataDir = "",
            AckTimeout = TimeSpan.Zero,
            ShutdownTimeout = TimeSpan.FromSeconds(-1),
            LogFormat = "xml",
        };

        var result = _validator.Validate(null, options);

        result.Failures.Should().BeEquivalentTo(
            "MODULE_ID (Alb:ModuleId) must not be empty",
            "GRPC_PORT (Alb:GrpcPort) must be 0-65535, got 70000",
            "XDS_PORT (Alb:XdsPort) must be 0-65535, got -1",
            "HEALTH_PORT (Alb:HealthPort) and METRICS_PORT (Alb:MetricsPort) must differ, all are 9090",
            "XDS_BIND (Alb:XdsBind) must be an IP address or 'localhost', got 'example.com'",
            "DATA_DIR (Alb:DataDir) must not be empty",
            "Alb:AckTimeout must be positive, got 00:00:00",
            "SHUTDOWN_TIMEOUT (Alb:ShutdownTimeout) must be positive, got -00:00:01",
            "LOG_FORMAT (Alb:LogFormat) must be json or text, got 'xml'");
    }
}
