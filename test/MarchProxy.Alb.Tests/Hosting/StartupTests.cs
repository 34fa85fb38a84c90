using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Hosting;
using MarchProxy.Api.V1;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Tests.Hosting;

public sealed class StartupTests
{
    [Test]
    public void CreateBuilder_MalformedEnvironmentVariable_ThrowsNamingTheVariableAndTheKey()
    {
        using var dir = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["GRPC_PORT"] = "fifty", ["SHUTDOWN_TIMEOUT"] = "soon" };

        var act = () => AlbTestHost.Build(dir.Combine("data"), dir.Combine("alb.json"), environment: environment);

        act.Should().Throw<AlbConfigurationException>()
            .Which.Message.Should().Contain("GRPC_PORT (Alb:GrpcPort)").And.Contain("got 'fifty'")
            .And.Contain("SHUTDOWN_TIMEOUT (Alb:ShutdownTimeout)");
    }

    [Test]
    public async Task Start_PortOutOfRange_FailsNamingTheSetting()
    {
        using var dir = new TempDirectory();
        await using var app = AlbTestHost.Build(dir.Combine("data"), dir.Combine("alb.json"), new Dictionary<string, string?> { ["Alb:GrpcPort"] = "70000" });

        var act = () => app.StartAsync().DefaultTimeout();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("GRPC_PORT (Alb:GrpcPort) must be 0-65535, got 70000");
    }

    [Test]
    public async Task Start_InvalidStandaloneConfig_FailsListingTheBadSettings()
    {
        using var dir = new TempDirectory();
        var configFile = dir.Combine("alb.json");
        await File.WriteAllTextAsync(configFile, """{ "Proxy": { "Clusters": { "c": { "Destinations": { "d": { "Address": "10.0.0.1" } }, "Colour": "red" } } } }""");
        await using var app = AlbTestHost.Build(dir.Combine("data"), configFile);

        var act = () => app.StartAsync().DefaultTimeout();

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("Proxy:Clusters:c");
    }

    [Test]
    public async Task Start_ConfiguredStandaloneFileMissing_FailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        await using var app = AlbTestHost.Build(dir.Combine("data"), dir.Combine("missing.json"));

        var act = () => app.StartAsync().DefaultTimeout();

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("missing.json");
    }

    [Test]
    public async Task Start_EnvoyDisabledThroughTheEnvironment_RunsControlPlaneOnly()
    {
        using var dir = new TempDirectory();
        var configFile = dir.Combine("alb.json");
        await File.WriteAllTextAsync(configFile, AlbTestHost.EmptyConfig);
        var environment = new Dictionary<string, string?> { ["ENVOY_ENABLED"] = "false", ["MODULE_ID"] = "alb-7" };
        var settings = new Dictionary<string, string?> { ["Envoy:Enabled"] = null, ["Alb:ModuleId"] = null };
        await using var app = AlbTestHost.Build(dir.Combine("data"), configFile, settings, environment);
        await app.StartAsync().DefaultTimeout();
        var endpoints = (ListenEndpoints)app.Services.GetService(typeof(ListenEndpoints))!;
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{endpoints.GetPort(EndpointRole.Api)}");

        var status = await new ModuleService.ModuleServiceClient(channel).GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();

        status.ModuleId.Should().Be("alb-7");
        status.EnvoyState.Should().Be("absent");
        status.Metadata["envoy_absent_reason"].Should().Contain("ENVOY_ENABLED=false");
        await app.StopAsync().DefaultTimeout();
    }
}
