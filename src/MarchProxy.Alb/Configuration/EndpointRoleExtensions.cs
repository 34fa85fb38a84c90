namespace MarchProxy.Alb.Configuration;

public static class EndpointRoleExtensions
{
    /// <summary>
    /// Pins an endpoint to the port of <paramref name="role"/>: reached on any other port it answers
    /// 404. Endpoints without a role are reachable on no port, so every mapping must declare one,
    /// e.g. <c>app.MapPrometheusScrapingEndpoint().RequireEndpointRole(EndpointRole.Metrics)</c>.
    /// </summary>
    public static TBuilder RequireEndpointRole<TBuilder>(this TBuilder builder, EndpointRole role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointRoleMetadata(role));
}
