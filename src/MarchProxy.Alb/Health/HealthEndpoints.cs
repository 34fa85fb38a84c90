using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Health;

/// <summary>/healthz (the process is alive) and /readyz (see <see cref="ReadinessProbe"/>), on HEALTH_PORT, with JSON bodies that say why.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapAlbHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (HostInfo host) => Results.Json(new
        {
            status = "alive",
            version = host.Version,
            uptimeSeconds = (long)host.Uptime.TotalSeconds,
        })).RequireEndpointRole(EndpointRole.Health);

        endpoints.MapGet("/readyz", (ReadinessProbe probe) =>
        {
            var report = probe.Check();
            return Results.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).RequireEndpointRole(EndpointRole.Health);
        return endpoints;
    }
}
