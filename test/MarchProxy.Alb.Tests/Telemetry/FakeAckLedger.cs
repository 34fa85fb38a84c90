using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>An <see cref="IAckLedger"/> whose waits answer with <see cref="Result"/>.</summary>
internal sealed class FakeAckLedger : IAckLedger
{
    public AckWaitResult Result { get; set; } = new(1, [], [], false);

    public IReadOnlyList<NodeAckState> GetNodes() => [];

    public bool HasAckedClustersAndListeners(NodeKind kind) => true;

    public Task<AckWaitResult> WaitForAckAsync(NodeKind kind, long version, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(Result);
}
