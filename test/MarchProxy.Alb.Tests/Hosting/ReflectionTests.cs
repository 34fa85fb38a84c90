using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Tests.Hosting;

public sealed class ReflectionTests : AlbHostFixture
{
    /// <summary>What `grpcurl -plaintext host:port list` asks (v1alpha reflection, ListServices).</summary>
    public static async Task<IReadOnlyList<string>> ListServicesAsync(GrpcChannel channel)
    {
        var client = new ServerReflection.ServerReflectionClient(channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeTrue();
        return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
    }

    [Test]
    public async Task ListServices_ApiPort_ShowsTheApiPortServicesOnly()
    {
        var services = await ListServicesAsync(Host.CreateChannel(EndpointRole.Api));

        services.Should().BeEquivalentTo(
            "marchproxy.ModuleService",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection");
    }

    [Test]
    public async Task FileContainingSymbol_ModuleService_ReturnsItsDescriptor()
    {
        var client = new ServerReflection.ServerReflectionClient(Host.CreateChannel(EndpointRole.Api));
        using var call = client.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "marchproxy.ModuleService" }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeTrue();

        call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto.Should().NotBeEmpty();
    }
}
