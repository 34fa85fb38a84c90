using System.Diagnostics;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Decorates the config store's <see cref="IStatePublisher"/>: a span around each dry run
/// (translation) and each publish (translation and push), and the published state recorded in
/// <see cref="ServedConfig"/> (for <c>marchproxy.config.version</c> and the route table).
/// </summary>
public sealed class TracingStatePublisher : IStatePublisher
{
    private readonly IStatePublisher _inner;
    private readonly AlbTracing _tracing;
    private readonly ServedConfig _servedConfig;

    public TracingStatePublisher(IStatePublisher inner, AlbTracing tracing, ServedConfig servedConfig)
    {
        _inner = inner;
        _tracing = tracing;
        _servedConfig = servedConfig;
    }

    public PublishOutcome DryRun(DesiredState state)
    {
        using var activity = _tracing.StartTranslate(state.Version);
        return Traced(activity, _inner.DryRun(state));
    }

    public PublishOutcome Publish(DesiredState state)
    {
        using var activity = _tracing.StartPublish(state.Version);
        var outcome = Traced(activity, _inner.Publish(state));
        if (outcome.Success)
        {
            _servedConfig.Served(state);
        }

        return outcome;
    }

    private static PublishOutcome Traced(Activity? activity, PublishOutcome outcome)
    {
        if (activity is not null && !outcome.Success)
        {
            activity.SetStatus(ActivityStatusCode.Error, string.Join("; ", outcome.Errors));
        }

        return outcome;
    }
}
