namespace MarchProxy.Supervisor;

/// <summary>The ADS flavour written into the bootstrap (<c>ads_config.api_type</c>).</summary>
public enum XdsMode
{
    /// <summary>Incremental xDS: <c>DELTA_GRPC</c> (the default).</summary>
    Delta = 0,

    /// <summary>State of the world: <c>GRPC</c>.</summary>
    Sotw = 1,
}
