using System.Diagnostics;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Owns the ActivitySource <see cref="SourceName"/>: one span per ModuleService mutation, with
/// child spans for its steps (translation dry run, persist, publish, ACK wait). The children are
/// started inside the mutation's async flow, so <see cref="Activity.Current"/> parents them. With no
/// listener (no OTLP exporter, no test listener) every Start method returns null and costs nothing.
/// </summary>
public sealed class AlbTracing : IDisposable
{
    public const string SourceName = "MarchProxy.Alb";

    public const string MutationSpan = "marchproxy.mutation";
    public const string TranslateSpan = "marchproxy.translate";
    public const string PublishSpan = "marchproxy.publish";
    public const string PersistSpan = "marchproxy.persist";
    public const string AckWaitSpan = "marchproxy.ack_wait";

    private readonly ActivitySource _source = new(SourceName, typeof(AlbTracing).Assembly.GetName().Version?.ToString());

    /// <summary>The span of one mutation RPC (server kind: it serves the caller's request).</summary>
    public Activity? StartMutation(string rpc)
    {
        var activity = _source.StartActivity(MutationSpan, ActivityKind.Server);
        if (activity is not null)
        {
            activity.DisplayName = $"mutation {rpc}";
            activity.SetTag("marchproxy.rpc", rpc);
        }

        return activity;
    }

    /// <summary>Translating a desired state and checking its snapshots, without serving them.</summary>
    public Activity? StartTranslate(long version) => StartStep(TranslateSpan, version);

    /// <summary>Translating a desired state and serving its snapshots (the push to connected nodes).</summary>
    public Activity? StartPublish(long version) => StartStep(PublishSpan, version);

    public Activity? StartPersist(long version) => StartStep(PersistSpan, version);

    public Activity? StartAckWait(string nodeKind, long version)
    {
        var activity = StartStep(AckWaitSpan, version);
        activity?.SetTag("marchproxy.node_kind", nodeKind);
        return activity;
    }

    public void Dispose() => _source.Dispose();

    private Activity? StartStep(string name, long version)
    {
        var activity = _source.StartActivity(name, ActivityKind.Internal);
        activity?.SetTag("marchproxy.config.version", version);
        return activity;
    }
}
