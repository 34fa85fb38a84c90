using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.ControlPlane.Server;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Api;

/// <summary>
/// When CLUSTER_API_KEY is set, every ModuleService call needs "authorization: Bearer &lt;key&gt;";
/// otherwise it fails with UNAUTHENTICATED. Health and reflection stay open. It runs before gRPC reads
/// the request, so an unauthenticated body is never decoded (nor logged as undecodable). The comparison
/// runs over SHA-256 digests in constant time; refusals are logged at most once per
/// <see cref="UndecodableRequests.Interval"/>.
/// </summary>
public sealed class ApiKeyMiddleware
{
    private const string Scheme = "Bearer ";
    private readonly RequestDelegate _next;
    private readonly byte[]? _expectedDigest;
    private readonly ILogger<ApiKeyMiddleware> _logger;
    private readonly LogRateLimit _limit;

    public ApiKeyMiddleware(RequestDelegate next, IOptions<AlbOptions> options, TimeProvider timeProvider, ILogger<ApiKeyMiddleware> logger)
    {
        _next = next;
        var key = options.Value.ClusterApiKey;
        _expectedDigest = string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
        _logger = logger;
        _limit = new LogRateLimit(timeProvider, UndecodableRequests.Interval);
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_expectedDigest is null
            || context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.ServiceType != typeof(ModuleServiceImpl))
        {
            return _next(context);
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return RefuseAsync(context, "missing 'authorization: Bearer <key>' metadata");
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedDigest)
            ? _next(context)
            : RefuseAsync(context, "invalid API key");
    }

    /// <summary>A trailers-only gRPC response: HTTP 200 with grpc-status in the headers and no body.</summary>
    private Task RefuseAsync(HttpContext context, string reason)
    {
        if (_limit.TryAcquire(out var suppressed))
        {
            ApiLog.Unauthenticated(_logger, context.Request.Path, CallerIdentity.Describe(context), reason, suppressed);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)StatusCode.Unauthenticated).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = reason;
        return Task.CompletedTask;
    }
}
