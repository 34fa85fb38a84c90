using Google.Rpc;
using Grpc.Core;

namespace MarchProxy.Alb.Tests.Infrastructure;

public static class RpcAssertions
{
    /// <summary>Awaits a call that must fail, and returns its exception after checking the code.</summary>
    public static async Task<RpcException> ShouldFailWith<T>(this AsyncUnaryCall<T> call, StatusCode code)
    {
        var act = () => call.ResponseAsync.DefaultTimeout();
        var thrown = await act.Should().ThrowAsync<RpcException>();
        thrown.Which.StatusCode.Should().Be(code, thrown.Which.Status.Detail);
        return thrown.Which;
    }

    /// <summary>The fields of the google.rpc.BadRequest detail.</summary>
    public static IReadOnlyList<string> BadFields(this RpcException exception) =>
        exception.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
}
