namespace MarchProxy.Alb.Api;

/// <summary>
/// Ends the API's long-lived streams (WatchEvents) on request. The host's shutdown sequence calls
/// <see cref="CloseAllStreams"/> after the local Envoy has drained, so a watcher sees the drain and then
/// a clean end of its stream (status OK) instead of holding up the web server's stop.
/// </summary>
public sealed class ApiStreamShutdown : IDisposable
{
    private readonly CancellationTokenSource _closing = new();

    /// <summary>Fires when the streams must end.</summary>
    public CancellationToken Closing => _closing.Token;

    public void CloseAllStreams() => _closing.Cancel();

    public void Dispose() => _closing.Dispose();
}
