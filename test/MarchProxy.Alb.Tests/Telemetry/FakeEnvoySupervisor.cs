using MarchProxy.Supervisor;
using Microsoft.Extensions.Primitives;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>An <see cref="IEnvoySupervisor"/> whose status the test sets.</summary>
internal sealed class FakeEnvoySupervisor : IEnvoySupervisor
{
    public EnvoyStatus Status { get; set; } = new() { State = EnvoyState.Live, IsServing = true, AdminReachable = true };

    public EnvoyState State => Status.State;

    public string? EnvoyVersion => Status.EnvoyVersion;

    public int Epoch => Status.Epoch;

    public long RestartCount => Status.RestartCount;

    public long CrashLoopCount => Status.CrashLoopCount;

    public bool IsSupervising => Status.IsSupervising;

    public bool IsReady => Status.IsServing;

    public bool IsHealthy => Status.IsHealthy;

    public string? AbsentReason => Status.AbsentReason;

    public static FakeEnvoySupervisor Absent() => new()
    {
        Status = new EnvoyStatus { State = EnvoyState.Absent, IsSupervising = false, AbsentReason = "ENVOY_ENABLED=false" },
    };

    public EnvoyStatus GetStatus() => Status;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(CancellationToken.None);

    public Task<HotRestartResult> HotRestartAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("not used by telemetry");

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
