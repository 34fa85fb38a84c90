using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MarchProxy.Alb.Hosting;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Api;

/// <summary>
/// When CLUSTER_API_KEY is set, every ModuleService call needs "authorization: Bearer &lt;key&gt;";
/// otherwise it fails with UNAUTHENTICATED. Registered for ModuleService only, so health and
/// reflection stay open. The comparison runs over SHA-256 digests in constant time.
/// </summary>
public sealed class ApiKeyInterceptor : Interceptor
{
    private const string Scheme = "Bearer ";
    private readonly byte[]? _expectedDigest;
    private readonly ILogger<ApiKeyInterceptor> _logger;

    public ApiKeyInterceptor(IOptions<AlbOptions> options, ILogger<ApiKeyInterceptor> logger)
    {
        var key = options.Value.ClusterApiKey;
        _expectedDigest = string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
        _logger = logger;
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        if (_expectedDigest is null)
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            Refuse(context, "missing 'authorization: Bearer <key>' metadata");
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(presented, _expectedDigest))
        {
            Refuse(context, "invalid API key");
        }
    }

    [DoesNotReturn]
    private void Refuse(ServerCallContext context, string reason)
    {
        ApiLog.Unauthenticated(_logger, context.Method, context.Peer, reason);
        throw new RpcException(new Status(StatusCode.Unauthenticated, reason));
    }
}
