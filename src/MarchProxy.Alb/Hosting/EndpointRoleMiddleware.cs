using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Runs after routing: lets a request through only when its endpoint's role matches the role of the
/// port it arrived on (tagged on the connection by Kestrel connection middleware). This works with
/// port 0, unlike RequireHost("*:port").
/// </summary>
public sealed class EndpointRoleMiddleware(RequestDelegate next, ILogger<EndpointRoleMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            return next(context);
        }

        var required = endpoint.Metadata.GetMetadata<EndpointRoleMetadata>()?.Role;
        var arrived = context.Features.Get<EndpointRoleFeature>()?.Role;
        if (required is not null && required == arrived)
        {
            return next(context);
        }

        HostingLog.WrongPort(logger, context.Request.Path, arrived, required);

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
