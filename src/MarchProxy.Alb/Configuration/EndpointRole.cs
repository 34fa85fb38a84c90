namespace MarchProxy.Alb.Configuration;

/// <summary>What a Kestrel endpoint (one port) is for. Every mapped endpoint declares the role it serves.</summary>
public enum EndpointRole
{
    /// <summary>GRPC_PORT: ModuleService, grpc.health.v1, reflection.</summary>
    Api = 0,

    /// <summary>XDS_PORT: the ADS server.</summary>
    Xds = 1,

    /// <summary>HEALTH_PORT: /healthz and /readyz.</summary>
    Health = 2,

    /// <summary>METRICS_PORT: /metrics (mapped by the telemetry component).</summary>
    Metrics = 3,
}
