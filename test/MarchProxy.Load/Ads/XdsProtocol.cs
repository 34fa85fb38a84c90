namespace MarchProxy.Load.Ads;

/// <summary>Which ADS variant a load client speaks.</summary>
public enum XdsProtocol
{
    /// <summary>State of the world (<c>StreamAggregatedResources</c>).</summary>
    Sotw,

    /// <summary>Incremental (<c>DeltaAggregatedResources</c>).</summary>
    Delta,
}
