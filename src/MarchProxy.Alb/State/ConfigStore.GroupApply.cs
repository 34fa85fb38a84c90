namespace MarchProxy.Alb.State;

/// <summary>
/// Group apply for the file store. Callers queue their mutations; one applier at a time takes every
/// mutation waiting (up to <see cref="MaxGroup"/>) and, under the gate, runs them in arrival order on the
/// tentative state: each is checked by the model's rules against the state that holds the ones before it,
/// so each caller gets its own refusal and a refused mutation changes nothing. The group's resulting
/// state is then validated against Envoy's rules and dry-run once. When that fails, the group is checked
/// again one mutation at a time (each with its own dry run), so the refusal names the mutation at
/// fault. Accepted mutations keep their own versions and wait in the commit queue
/// (ConfigStore.GroupCommit.cs) until the state holding them is durable. Only Envoy's rules are checked
/// on the group's result rather than on each step: a mutation that only they would refuse is accepted
/// when a later mutation of its group replaces what it broke (its version is never served).
/// </summary>
public sealed partial class ConfigStore
{
    /// <summary>The most mutations one group holds (one dry run each group).</summary>
    public const int MaxGroup = 256;

    private readonly Lock _pendingLock = new();
    private readonly List<Pending> _pending = [];
    private bool _applying;

    private async Task<ApplyResult> ApplyGroupedAsync(
        string operation,
        Func<StoredState, MutationOutcome> mutate,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                return Refuse(Current, ApplyStatus.Unavailable, "the config store is still starting", []);
            }

            var pending = new Pending(operation, mutate, validateOnly, cancellationToken);
            lock (_pendingLock)
            {
                _pending.Add(pending);
                if (!_applying)
                {
                    _applying = true;
                    _ = Task.Run(ApplyPendingAsync, CancellationToken.None);
                }
            }

            // Cancellable until the group holding it is checked; from then on the caller learns how it went.
            return await pending.Done.Task;
        }
        finally
        {
            _slots.Release();
        }
    }

    private List<Pending>? TakePending()
    {
        lock (_pendingLock)
        {
            if (_pending.Count == 0)
            {
                _applying = false;
                return null;
            }

            var take = Math.Min(_pending.Count, MaxGroup);
            var group = _pending.GetRange(0, take);
            _pending.RemoveRange(0, take);
            return group;
        }
    }

    private async Task ApplyPendingAsync()
    {
        while (TakePending() is { } group)
        {
            await _gate.WaitAsync(CancellationToken.None);
            try
            {
                ApplyGroup(group);
            }
            catch (Exception ex)
            {
                // Nobody may be left waiting; the gate keeps the state consistent (nothing half-settled).
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(ex);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private void ApplyGroup(List<Pending> group)
    {
        var live = group.Where(p => !p.Cancelled()).ToList();
        if (live.Count > 1 && TryApplyTogether(live))
        {
            return;
        }

        foreach (var pending in live)
        {
            ApplyOne(pending);
        }
    }

    /// <summary>One mutation with its own full check (a group of one, or a group whose check failed).</summary>
    private void ApplyOne(Pending pending)
    {
        try
        {
            var current = _tentative;
            var early = Evaluate(pending.Operation, current, pending.Mutate, pending.ValidateOnly, out var stored, out var message);
            Decided decided = early is null
                ? new(pending, stored!, new ApplyResult(ApplyStatus.Applied, stored!.Version, stored.State, message, []))
                : new(pending, current, early);
            if (early is null)
            {
                _tentative = stored!;
            }

            Settle([decided]);
        }
        catch (Exception ex)
        {
            pending.Done.TrySetException(ex);
        }
    }

    /// <summary>
    /// Runs the group on the tentative state with the per-mutation checks and validates the result once.
    /// False (and nothing changed, nobody answered) when the result fails the whole check or a mutation
    /// throws: the group is then applied one at a time.
    /// </summary>
    private bool TryApplyTogether(List<Pending> group)
    {
        var running = _tentative;
        var changed = false;
        var decided = new List<Decided>(group.Count);
        try
        {
            foreach (var pending in group)
            {
                if (pending.ValidateOnly)
                {
                    // It changes nothing: its own dry run, of the state it is checked against, answers it.
                    decided.Add(new Decided(pending, running, Evaluate(pending.Operation, running, pending.Mutate, validateOnly: true, out _, out _)!));
                    continue;
                }

                var early = Prepare(pending.Operation, running, pending.Mutate, validateOnly: false, out var stored, out var message)
                    ?? CheckModel(pending.Operation, running, stored!.State);
                if (early is not null)
                {
                    decided.Add(new Decided(pending, running, early));
                    continue;
                }

                decided.Add(new Decided(pending, stored!, new ApplyResult(ApplyStatus.Applied, stored!.Version, stored.State, message, [])));
                running = stored;
                changed = true;
            }

            if (changed && (_validator.Validate(running.State).Count > 0 || !_publisher.DryRun(running.State).Success))
            {
                return false;
            }
        }
        catch (Exception)
        {
            // Whichever mutation threw gets the exception when the group is applied one at a time.
            return false;
        }

        _tentative = running;
        Settle(decided);
        return true;
    }

    /// <summary>
    /// Answers refusals now; queues the rest for the commit. An unchanged or validated answer describes
    /// the state it was checked against, so it waits until that state is durable (unless it already is).
    /// </summary>
    private void Settle(List<Decided> decided)
    {
        var durable = Current.Version;
        List<Queued>? queued = null;
        foreach (var (pending, state, answer) in decided)
        {
            if (answer.Status != ApplyStatus.Applied && (!answer.Succeeded || state.Version == durable))
            {
                pending.Done.TrySetResult(answer);
                continue;
            }

            (queued ??= []).Add(new Queued(pending.Operation, state, answer, pending.Done));
        }

        if (queued is not null)
        {
            Enqueue(queued);
        }
    }

    private sealed record Pending(
        string Operation,
        Func<StoredState, MutationOutcome> Mutate,
        bool ValidateOnly,
        CancellationToken Cancellation)
    {
        public TaskCompletionSource<ApplyResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>True (and the caller answered) when the caller gave up before its group was checked.</summary>
        public bool Cancelled() => Cancellation.IsCancellationRequested && Done.TrySetCanceled(Cancellation);
    }

    private sealed record Decided(Pending Pending, StoredState State, ApplyResult Answer);
}
