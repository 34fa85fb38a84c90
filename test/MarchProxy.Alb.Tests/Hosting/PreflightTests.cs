using System.Net;
using System.Net.Sockets;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Hosting;
using Microsoft.AspNetCore.Connections;

namespace MarchProxy.Alb.Tests.Hosting;

/// <summary>What stops a start is found before the host starts, and told in one line.</summary>
public sealed class PreflightTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task Preflight_PortInUse_OneLineNamingTheVariableAndNothingPersisted()
    {
        using var held = new TcpListener(IPAddress.Loopback, 0);
        held.Start();
        var port = ((IPEndPoint)held.LocalEndpoint).Port;
        await File.WriteAllTextAsync(_dir.Combine("alb.json"), AlbTestHost.EmptyConfig);
        await using var app = AlbTestHost.Build(_dir.Combine("data"), _dir.Combine("alb.json"), new Dictionary<string, string?> { ["Alb:GrpcPort"] = $"{port}" });

        var preflight = () => AlbProgram.PreflightAsync(app.Services);

        var error = (await preflight.Should().ThrowAsync<AlbConfigurationException>()).Which;
        StartupErrors.Describe(error).Should().Be($"MarchProxy ALB cannot start: GRPC_PORT (Alb:GrpcPort): 127.0.0.1:{port} is already in use");
        Directory.Exists(_dir.Combine("data")).Should().BeFalse("the ports are checked before the state is loaded and persisted");
    }

    [Test]
    public async Task Preflight_BadConfigFile_OneLineWithTheLine()
    {
        await File.WriteAllTextAsync(_dir.Combine("alb.json"), "{\n  \"Proxy\": { \"Clusters\": 7 }\n}\n");
        await using var app = AlbTestHost.Build(_dir.Combine("data"), _dir.Combine("alb.json"));

        var preflight = () => AlbProgram.PreflightAsync(app.Services);

        var error = (await preflight.Should().ThrowAsync<InvalidDataException>()).Which;
        var line = StartupErrors.Describe(error);
        line.Should().Contain("Proxy:Clusters").And.Contain("line 2,").And.NotContain(Environment.NewLine);
    }

    [Test]
    [Platform("Linux")]
    public async Task Preflight_EmptyReadOnlyDataDir_OneLineNamingTheFile()
    {
        // /proc/self is read-only even for root, and holds no state file: the first save must fail.
        await File.WriteAllTextAsync(_dir.Combine("alb.json"), AlbTestHost.EmptyConfig);
        await using var app = AlbTestHost.Build("/proc/self", _dir.Combine("alb.json"));

        var preflight = () => AlbProgram.PreflightAsync(app.Services);

        var error = (await preflight.Should().ThrowAsync<InvalidDataException>()).Which;
        StartupErrors.IsConfigurationError(error).Should().BeTrue();
        StartupErrors.Describe(error).Should().StartWith("MarchProxy ALB cannot start: The state cannot be persisted to /proc/self/alb-state.json").And.NotContain(Environment.NewLine);
    }

    [Test]
    public async Task Preflight_StateFileWithoutRoutes_OneLineNamingTheFileAndTheKey()
    {
        Directory.CreateDirectory(_dir.Combine("data"));
        await File.WriteAllTextAsync(_dir.Combine("data/alb-state.json"), """{ "format": 1, "version": 5, "clusters": [] }""");
        await File.WriteAllTextAsync(_dir.Combine("alb.json"), AlbTestHost.EmptyConfig);
        await using var app = AlbTestHost.Build(_dir.Combine("data"), _dir.Combine("alb.json"));

        var preflight = () => AlbProgram.PreflightAsync(app.Services);

        var line = StartupErrors.Describe((await preflight.Should().ThrowAsync<InvalidDataException>()).Which);
        line.Should().Contain(_dir.Combine("data/alb-state.json")).And.Contain("missing required 'routes'").And.NotContain(Environment.NewLine);
    }

    [Test]
    public void IsConfigurationError_KestrelFindsThePortTaken_IsASettingsError()
    {
        var bind = new IOException("Failed to bind to address http://127.0.0.1:50051: address already in use.", new AddressInUseException("Address already in use"));

        StartupErrors.IsConfigurationError(bind).Should().BeTrue();
        StartupErrors.Describe(bind).Should().Be("MarchProxy ALB cannot start: Failed to bind to address http://127.0.0.1:50051: address already in use.");
    }

    [Test]
    public void IsConfigurationError_SeveralOptionsSectionsInvalid_IsASettingsError()
    {
        var both = new AggregateException(new AlbConfigurationException("a"), new InvalidDataException("b"));

        StartupErrors.IsConfigurationError(both).Should().BeTrue();
        StartupErrors.IsConfigurationError(new AggregateException(new AlbConfigurationException("a"), new InvalidOperationException("bug"))).Should().BeFalse();
    }
}
