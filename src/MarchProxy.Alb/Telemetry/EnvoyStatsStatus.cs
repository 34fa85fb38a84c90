namespace MarchProxy.Alb.Telemetry;

/// <summary>Where the bridge's Envoy stats stand.</summary>
public enum EnvoyStatsStatus
{
    /// <summary>No read has finished yet.</summary>
    NotRead = 0,

    /// <summary>The last read succeeded.</summary>
    Fresh = 1,

    /// <summary>The last read failed or timed out; the values are those of the last good read (or none).</summary>
    Stale = 2,

    /// <summary>Control-plane-only mode: there is no Envoy to read; every Envoy value reads zero.</summary>
    Absent = 3,
}
