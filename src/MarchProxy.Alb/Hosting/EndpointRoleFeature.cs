using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Hosting;

/// <summary>A connection feature: the role of the Kestrel endpoint the connection arrived on.</summary>
public sealed class EndpointRoleFeature(EndpointRole role)
{
    public EndpointRole Role { get; } = role;
}
