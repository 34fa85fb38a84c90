namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Ends every open ADS stream on request. The host calls <see cref="CloseAllStreams"/> in its shutdown
/// sequence once the local Envoy has drained, so the long-lived streams do not hold up the web server's
/// stop. Streams end with UNAVAILABLE ("shutting down"), which xDS clients treat as a reason to
/// reconnect; a stream that opens afterwards is refused the same way.
/// </summary>
public sealed class AdsShutdown : IDisposable
{
    private readonly CancellationTokenSource _closing = new();

    /// <summary>Fires when the streams must close.</summary>
    public CancellationToken Closing => _closing.Token;

    public bool IsClosing => _closing.IsCancellationRequested;

    public void CloseAllStreams() => _closing.Cancel();

    public void Dispose() => _closing.Dispose();
}
