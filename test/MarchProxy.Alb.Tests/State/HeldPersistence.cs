using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Tests.State;

/// <summary>
/// A persistence that counts writes and, once <see cref="Hold"/> is called, keeps the next write waiting
/// until <see cref="Release"/> (so callers queue up behind a write in flight), failing it when asked.
/// </summary>
public sealed class HeldPersistence : IStatePersistence, IDisposable
{
    private readonly ManualResetEventSlim _released = new(true);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _saves;
    private bool _failHeld;

    public StoredState? Saved { get; private set; }

    public int Saves => Volatile.Read(ref _saves);

    public string Location => "held";

    /// <summary>Completes when a held write has started.</summary>
    public Task Entered => _entered.Task;

    public StoredState? Load() => Saved;

    public void Hold(bool fail = false)
    {
        _failHeld = fail;
        _released.Reset();
    }

    public void Release() => _released.Set();

    public void Save(StoredState state)
    {
        if (!_released.IsSet)
        {
            _entered.TrySetResult();
            if (!_released.Wait(TaskTimeoutExtensions.DefaultTimeoutSpan))
            {
                throw new IOException("the held write was never released");
            }

            if (_failHeld)
            {
                _failHeld = false;
                throw new IOException("disk full");
            }
        }

        Interlocked.Increment(ref _saves);
        Saved = state;
    }

    public void Dispose() => _released.Dispose();
}
