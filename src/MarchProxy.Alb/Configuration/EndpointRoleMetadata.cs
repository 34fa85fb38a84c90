namespace MarchProxy.Alb.Configuration;

/// <summary>Endpoint metadata: the port role an endpoint may be reached on.</summary>
public sealed record EndpointRoleMetadata(EndpointRole Role);
