namespace MarchProxy.Load.Results;

/// <summary>Everything measured on one build. A scenario that failed leaves its result null and an entry in <see cref="Errors"/>.</summary>
public sealed class HostResults
{
    public required string Label { get; init; }

    public required string Directory { get; init; }

    public List<PropagationResult> Propagation { get; } = [];

    public UnaryFloorResult? UnaryFloor { get; set; }

    public ApiThroughputResult? ApiThroughput { get; set; }

    public ReadRatioResult? ReadRatio { get; set; }

    public IdleMemoryResult? IdleMemory { get; set; }

    public ReconnectStormResult? ReconnectStorm { get; set; }

    public WireBytesResult? WireBytes { get; set; }

    public BatchResult? Batch { get; set; }

    public List<string> Errors { get; } = [];
}
