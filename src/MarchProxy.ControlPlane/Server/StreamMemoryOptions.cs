namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// When the control plane hands memory back to the operating system. After many ADS streams connect
/// or disconnect the GC keeps the memory it grew to (freed objects only make room in the heap), and
/// an idle control plane allocates too little to collect again; so once the number of streams and the
/// snapshots have been still for <see cref="QuietPeriod"/>, one full compacting collection returns
/// what is free.
/// </summary>
public sealed class StreamMemoryOptions
{
    public const string SectionName = "StreamMemory";

    /// <summary>
    /// How many streams must have connected or disconnected since the last such collection
    /// (XDS_MEMORY_TRIM_STREAMS); 0 turns it off.
    /// </summary>
    public int TrimAfterStreamChange { get; set; } = 100;

    /// <summary>How long the stream count and the snapshots must stay unchanged first.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(2);
}
