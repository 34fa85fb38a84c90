using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>Passive ejection of failing endpoints.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FileOutlierDetection
{
    public int? Consecutive5xx { get; set; }

    public TimeSpan? Interval { get; set; }

    public TimeSpan? BaseEjectionTime { get; set; }

    public int? MaxEjectionPercent { get; set; }
}
