using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State.Standalone;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class StandaloneOutlierDetection
{
    public int? Consecutive5xx { get; set; }

    public TimeSpan? Interval { get; set; }

    public TimeSpan? BaseEjectionTime { get; set; }

    public int? MaxEjectionPercent { get; set; }
}
