using MarchProxy.Alb.Hosting;
using MarchProxy.ControlPlane.Server;
using MarchProxy.Supervisor;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Tests.Hosting;

public sealed class StartupErrorsTests
{
    [Test]
    public void Describe_EnvoyValidationFailure_NamesTheSectionAndTheVariable()
    {
        var failures = new EnvoyOptionsValidator().Validate(null, new EnvoyOptions { AdminPort = 0, LogLevel = "loud" }).Failures!;
        var exception = new OptionsValidationException(string.Empty, typeof(EnvoyOptions), failures);

        var message = StartupErrors.Describe(exception);

        message.Should().Contain("Envoy: AdminPort must be between 1 and 65535 (got 0). [ENVOY_ADMIN_PORT]");
        message.Should().Contain("Envoy: LogLevel must be one of").And.Contain("[ENVOY_LOG_LEVEL]");
        StartupErrors.IsConfigurationError(exception).Should().BeTrue();
    }

    [Test]
    public void Describe_StreamMemoryValidationFailure_NamesTheSectionAndTheVariable()
    {
        var failures = new StreamMemoryOptionsValidator().Validate(null, new StreamMemoryOptions { TrimAfterStreamChange = -5 }).Failures!;
        var exception = new OptionsValidationException(string.Empty, typeof(StreamMemoryOptions), failures);

        var message = StartupErrors.Describe(exception);

        message.Should().Contain("StreamMemory: TrimAfterStreamChange must be 0 (off) or more (got -5). [XDS_MEMORY_TRIM_STREAMS]");
    }

    [Test]
    public void IsConfigurationError_Bug_IsNot()
    {
        StartupErrors.IsConfigurationError(new InvalidOperationException("a bug")).Should().BeFalse();
        StartupErrors.IsConfigurationError(new InvalidDataException("bad file")).Should().BeTrue();
    }
}
