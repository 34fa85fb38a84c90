namespace MarchProxy.Supervisor.Envoy;

/// <summary>A message to the supervisor's owner task.</summary>
internal abstract record SupervisorCommand
{
    /// <summary>Stop gracefully and end the loop.</summary>
    public sealed record Stop : SupervisorCommand;

    /// <summary>Hot-restart into the next epoch; the result completes <paramref name="Result"/>.</summary>
    public sealed record HotRestart(TaskCompletionSource<HotRestartResult> Result) : SupervisorCommand;

    /// <summary>A process exited: wakes the loop, which then looks at every process it owns.</summary>
    public sealed record ProcessExited(int? Pid) : SupervisorCommand;
}
