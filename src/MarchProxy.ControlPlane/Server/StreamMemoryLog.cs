using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Server;

/// <summary>Log events of <see cref="StreamMemoryTrimmer"/> (in the ADS server's range, 1120–1129).</summary>
internal static partial class StreamMemoryLog
{
    [LoggerMessage(EventId = 1120, EventName = "MemoryReturned", Level = LogLevel.Information,
        Message = "The number of ADS streams settled at {Streams}: a full collection returned free memory (managed heap {BeforeKiB} → {AfterKiB} KiB) in {Milliseconds:F0} ms")]
    public static partial void MemoryReturned(ILogger logger, int streams, long beforeKiB, long afterKiB, double milliseconds);
}
