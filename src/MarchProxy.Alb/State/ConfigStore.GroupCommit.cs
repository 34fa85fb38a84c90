namespace MarchProxy.Alb.State;

/// <summary>
/// Group commit for the file store. Each mutation is checked against the tentative state (the newest
/// accepted one, durable or still queued; see ConfigStore.GroupApply.cs) and gets the next version; it
/// then waits in the commit queue. One committer at a time writes the newest queued state (the file holds the
/// whole state, so one write and one fsync cover every mutation of the batch), publishes it once, swaps
/// <see cref="Current"/>, and answers each member with its own version. When the write (or the publish)
/// fails, every queued mutation is refused (each was checked against a state that is not durable) and
/// the tentative state goes back to the durable one. Unchanged and validate_only answers are checked
/// against the tentative state too, and wait for it to be durable like a mutation would.
/// </summary>
public sealed partial class ConfigStore
{
    /// <summary>How many mutations may wait to be made durable; more callers wait for a slot.</summary>
    public const int MaxQueued = 1024;

    private readonly SemaphoreSlim _slots = new(MaxQueued, MaxQueued);
    private readonly Lock _queueLock = new();
    private readonly List<Queued> _queue = [];
    private bool _committing;
    private StoredState _tentative = StoredState.Empty;

    /// <summary>Queues checked mutations, in order, for the committer (started when none runs).</summary>
    private void Enqueue(List<Queued> queued)
    {
        lock (_queueLock)
        {
            _queue.AddRange(queued);
            if (!_committing)
            {
                _committing = true;
                _ = Task.Run(CommitQueuedAsync);
            }
        }
    }

    private List<Queued>? TakeQueued()
    {
        lock (_queueLock)
        {
            if (_queue.Count == 0)
            {
                _committing = false;
                return null;
            }

            var batch = new List<Queued>(_queue);
            _queue.Clear();
            return batch;
        }
    }

    private async Task CommitQueuedAsync()
    {
        while (TakeQueued() is { } batch)
        {
            try
            {
                await CommitBatchAsync(batch);
            }
            catch (Exception ex)
            {
                // Nothing may be left waiting: the batch and what followed it fail, the durable state stays.
                await _gate.WaitAsync(CancellationToken.None);
                try
                {
                    RefuseQueued(batch, ApplyStatus.Failed, $"the configuration could not be applied: {ex.Message}");
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
    }

    private async Task CommitBatchAsync(List<Queued> batch)
    {
        // The newest state of the batch holds every change of it (each was validated on top of the previous).
        var durable = Current;
        var newest = batch[^1].State;
        var commit = await _store.CommitAsync("batch", durable, newest, CancellationToken.None);

        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (commit.Status != StoreCommitStatus.Committed)
            {
                RefuseQueued(batch, ApplyStatus.Unavailable, $"the configuration could not be persisted: {commit.Error}");
                return;
            }

            var published = _publisher.Publish(newest.State);
            if (!published.Success)
            {
                var error = string.Join("; ", published.Errors);
                StateLog.PublishFailed(_logger, newest.Version, error);
                if (!_store.Revert(durable, out var rollbackError))
                {
                    StateLog.RollbackFailed(_logger, durable.Version, rollbackError);
                }

                RefuseQueued(batch, ApplyStatus.Failed, $"publishing version {newest.Version} failed: {error}");
                return;
            }

            Swap(newest);
            foreach (var queued in batch)
            {
                if (queued.Answer.Status == ApplyStatus.Applied)
                {
                    StateLog.Applied(_logger, queued.Operation, queued.Answer.Version, queued.Answer.Message);
                }

                queued.Done.TrySetResult(queued.Answer);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Under the gate: refuses the failed batch and everything queued after it (each was validated on
    /// top of a state that is not durable), and goes back to the durable state.
    /// </summary>
    private void RefuseQueued(List<Queued> batch, ApplyStatus status, string message)
    {
        List<Queued> later;
        lock (_queueLock)
        {
            later = [.. _queue];
            _queue.Clear();
        }

        _tentative = Current;
        foreach (var queued in batch)
        {
            queued.Done.TrySetResult(Refuse(Current, status, message, []));
        }

        foreach (var queued in later)
        {
            queued.Done.TrySetResult(Refuse(Current, status, $"an earlier change it was checked against was not applied: {message}", []));
        }
    }

    private sealed record Queued(string Operation, StoredState State, ApplyResult Answer, TaskCompletionSource<ApplyResult> Done);
}
