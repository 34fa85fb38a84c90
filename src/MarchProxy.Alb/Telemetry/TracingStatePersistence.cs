using System.Diagnostics;
using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Telemetry;

/// <summary>
/// Decorates the config store's <see cref="IStatePersistence"/>: a span around each save, and
/// <c>marchproxy.config.persist.failures</c> counted when a save throws. The exception still reaches
/// the store, which decides what to do.
/// </summary>
public sealed class TracingStatePersistence : IStatePersistence
{
    private readonly IStatePersistence _inner;
    private readonly AlbTracing _tracing;
    private readonly AlbMetrics _metrics;

    public TracingStatePersistence(IStatePersistence inner, AlbTracing tracing, AlbMetrics metrics)
    {
        _inner = inner;
        _tracing = tracing;
        _metrics = metrics;
    }

    public string Location => _inner.Location;

    public StoredState? Load() => _inner.Load();

    public void Save(StoredState state)
    {
        using var activity = _tracing.StartPersist(state.Version);
        try
        {
            _inner.Save(state);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _metrics.PersistFailed();
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }
}
