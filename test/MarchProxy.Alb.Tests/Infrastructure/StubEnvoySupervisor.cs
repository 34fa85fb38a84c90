using MarchProxy.Supervisor;
using Microsoft.Extensions.Primitives;

namespace MarchProxy.Alb.Tests.Infrastructure;

/// <summary>A supervisor whose state the test sets, and which records hot-restart and stop requests.</summary>
public sealed class StubEnvoySupervisor : IEnvoySupervisor
{
    public EnvoyStatus Status { get; set; } = new() { State = EnvoyState.Starting, IsSupervising = true, EnvoyVersion = "1.36.2" };

    public bool Ready { get; set; }

    public HotRestartResult NextHotRestart { get; set; } = HotRestartResult.Success(0, 1);

    public int HotRestarts { get; private set; }

    public int Stops { get; private set; }

    /// <summary>Runs inside <see cref="StopAsync"/> with its token: what the test looks at while Envoy drains.</summary>
    public Func<CancellationToken, Task>? OnStop { get; set; }

    public EnvoyState State => Status.State;

    public string? EnvoyVersion => Status.EnvoyVersion;

    public int Epoch => Status.Epoch;

    public long RestartCount => Status.RestartCount;

    public long CrashLoopCount => Status.CrashLoopCount;

    public bool IsSupervising => Status.IsSupervising;

    public bool IsReady => Ready;

    public bool IsHealthy => Status.IsHealthy;

    public string? AbsentReason => Status.AbsentReason;

    public EnvoyStatus GetStatus() => Status;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(CancellationToken.None);

    public Task<HotRestartResult> HotRestartAsync(CancellationToken cancellationToken = default)
    {
        HotRestarts++;
        return Task.FromResult(NextHotRestart);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Stops++;
        if (OnStop is { } onStop)
        {
            await onStop(cancellationToken);
        }

        Status = Status with { State = EnvoyState.Stopped, IsServing = false };
    }
}
