using System.Diagnostics;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Publishing;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Decorates the config store's <see cref="IStatePublisher"/>: a span around each dry run
/// (translation) and each publish (translation and push). Nothing else depends on it: the served
/// state reaches telemetry through <see cref="IServedStateObserver"/>.
/// </summary>
public sealed class TracingStatePublisher : IStatePublisher
{
    private readonly IStatePublisher _inner;
    private readonly AlbTracing _tracing;

    public TracingStatePublisher(IStatePublisher inner, AlbTracing tracing)
    {
        _inner = inner;
        _tracing = tracing;
    }

    public PublishResult DryRun(DesiredState state)
    {
        using var activity = _tracing.StartTranslate(state.Version);
        return Traced(activity, _inner.DryRun(state));
    }

    public PublishResult Publish(DesiredState state)
    {
        using var activity = _tracing.StartPublish(state.Version);
        return Traced(activity, _inner.Publish(state));
    }

    private static PublishResult Traced(Activity? activity, PublishResult outcome)
    {
        if (activity is not null && !outcome.Success)
        {
            activity.SetStatus(ActivityStatusCode.Error, string.Join("; ", outcome.Errors));
        }

        return outcome;
    }
}
