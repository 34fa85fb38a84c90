using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Publishing;

/// <summary>Log events of the snapshot publisher (EventIds 1050–1069, in the cache's range).</summary>
internal static partial class PublisherLog
{
    // Debug: every mutation builds twice (dry run, publish); the API logs the applied change once.
    [LoggerMessage(EventId = 1050, EventName = "SnapshotsBuilt", Level = LogLevel.Debug,
        Message = "Built the snapshots of config version {Version} (published: {Published}): {ResourceCount} resources in {ElapsedMs:F1} ms")]
    public static partial void Built(ILogger logger, long version, bool published, int resourceCount, double elapsedMs);

    [LoggerMessage(EventId = 1051, EventName = "PublishRefused", Level = LogLevel.Warning,
        Message = "Refused config version {Version} (publish: {Publish}); the served snapshots stay. {ErrorCount} errors: {Errors}")]
    public static partial void Refused(ILogger logger, long version, bool publish, int errorCount, string errors);

    [LoggerMessage(EventId = 1052, EventName = "TranslationFailed", Level = LogLevel.Error,
        Message = "Translating config version {Version} for {Kind} nodes failed")]
    public static partial void TranslationFailed(ILogger logger, Exception exception, NodeKind kind, long version);
}
