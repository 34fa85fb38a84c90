using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.Supervisor;
using Microsoft.Extensions.DependencyInjection;

namespace MarchProxy.Alb.Tests.Hosting;

/// <summary>
/// Readiness and hot-restart acceptance follow the local Envoy's node (Envoy:NodeId) only: a remote
/// Envoy on the same ADS port neither makes it ready nor, by rejecting a version, rolls it back.
/// </summary>
public sealed class EnvoyConfigAcceptanceTests : AlbHostFixture
{
    private const string LocalNodeId = "alb-local";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Envoy:NodeId"] = LocalNodeId };

    private IEnvoyConfigAcceptance Acceptance => Host.Services.GetRequiredService<IEnvoyConfigAcceptance>();

    /// <summary>Completes once the node's status satisfies <paramref name="condition"/> (re-checked on every ledger change).</summary>
    private async Task UntilAsync(string nodeId, Func<NodeAckState, bool> condition)
    {
        var ledger = Host.Services.GetRequiredService<IAckLedger>();
        bool Reached() => ledger.GetNodes().Any(n => n.NodeId == nodeId && condition(n));
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = Host.Services.GetRequiredService<INodeStatusFeed>().Watch(() =>
        {
            if (Reached())
            {
                reached.TrySetResult();
            }
        });
        if (!Reached())
        {
            await reached.Task.DefaultTimeout();
        }
    }

    private static bool AckedClustersAndListeners(NodeAckState node) =>
        node.AckedVersions.ContainsKey(ResourceTypes.Cluster) && node.AckedVersions.ContainsKey(ResourceTypes.Listener);

    [Test]
    public async Task HasAcceptedInitialConfig_OnlyARemoteEnvoyAcked_IsFalseUntilTheLocalOneDoes()
    {
        await using var remote = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), "remote-envoy");
        await UntilAsync("remote-envoy", AckedClustersAndListeners);

        Acceptance.HasAcceptedInitialConfig.Should().BeFalse("only a remote Envoy has accepted CDS and LDS");

        await using var local = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), LocalNodeId);
        await UntilAsync(LocalNodeId, AckedClustersAndListeners);
        Acceptance.HasAcceptedInitialConfig.Should().BeTrue();
    }

    [Test]
    public async Task HasRejectedConfigSince_OnlyARemoteEnvoyNacks_IsFalse()
    {
        await using var local = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), LocalNodeId);
        await using var remote = await FakeXdsNode.ConnectAsync(Host.Address(EndpointRole.Xds), "remote-envoy");
        await UntilAsync(LocalNodeId, AckedClustersAndListeners);
        await UntilAsync("remote-envoy", AckedClustersAndListeners);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        remote.Behavior = AckBehavior.Nack;

        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("c")).ResponseAsync.DefaultTimeout();
        await UntilAsync("remote-envoy", n => n.LastNack is not null);

        Acceptance.HasRejectedConfigSince(since).Should().BeFalse("the rejection came from a remote Envoy");
        local.Behavior = AckBehavior.Nack;
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("d")).ResponseAsync.DefaultTimeout();
        await UntilAsync(LocalNodeId, n => n.LastNack is not null);
        Acceptance.HasRejectedConfigSince(since).Should().BeTrue();
    }
}
