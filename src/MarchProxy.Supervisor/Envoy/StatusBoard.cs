using Microsoft.Extensions.Primitives;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Holds the published <see cref="EnvoyStatus"/>. Only the supervisor's owner task writes it; readers
/// get an immutable snapshot and a change token that fires at the next change.
/// </summary>
internal sealed class StatusBoard : IDisposable
{
    private readonly Lock _gate = new();
    private EnvoyStatus _status = EnvoyStatus.Initial;
    private CancellationTokenSource _changed = new();

    public EnvoyStatus Current => Volatile.Read(ref _status);

    public IChangeToken GetChangeToken()
    {
        lock (_gate)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    public void Update(Func<EnvoyStatus, EnvoyStatus> change)
    {
        CancellationTokenSource fired;
        lock (_gate)
        {
            var next = change(_status);
            if (next == _status)
            {
                return;
            }

            Volatile.Write(ref _status, next);
            fired = _changed;
            _changed = new CancellationTokenSource();
        }

        // Outside the lock: callbacks may read the board. The old source is not disposed, because a
        // token handed out earlier may still register a callback on it.
        fired.Cancel();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _changed.Dispose();
        }
    }
}
