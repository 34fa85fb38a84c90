using CsCheck;
using MarchProxy.ControlPlane.Tests.Server.Model;

namespace MarchProxy.ControlPlane.Tests.Server;

/// <summary>
/// Model-based tests of the ADS state machine: random interleavings of snapshot changes, responses,
/// ACKs and NACKs (of a poisoned resource, or of a whole response), reconnects with
/// initial_resource_versions and subscription changes, against a model Envoy, checking the
/// invariants of <see cref="ModelChecks"/> after every step. No sockets: a few thousand steps take
/// seconds. A failure is shrunk to a small scenario, printed as code; add it below as a named test.
/// </summary>
public sealed class AdsModelTests
{
    private static readonly Gen<ModelStep> Steps = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 255], (kind, arg) => new ModelStep(kind, arg));

    private static readonly Gen<ModelScenario> Scenarios = Gen.Select(Gen.Int[0, 15], Steps.Array[1, 50], (flags, steps) =>
        new ModelScenario(Delta: (flags & 1) != 0, NamedClusters: (flags & 2) != 0, NackSingle: (flags & 4) != 0, ExplicitWildcard: (flags & 8) != 0, steps));

    [Test]
    public void RandomRuns_KeepEveryInvariant() =>
        Scenarios.Sample(scenario => new ModelRun(scenario).Run(), iter: 1000, print: s => s.ToString());

    /// <summary>
    /// After the client rejects one virtual host of a route configuration (h0 of r0, poisoned), a later
    /// change to the other host (h1) reaches it, and the rejected host is not sent again.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public void RejectedVirtualHost_ALaterChangeToAnotherHost_ReachesTheClient(bool delta) =>
        new ModelRun(new ModelScenario(Delta: delta, NamedClusters: false, NackSingle: false, ExplicitWildcard: false, [new(8, 0), new(0, 819), new(8, 0), new(0, 7), new(8, 0), new(0, 7), new(8, 0)])).Run();

    /// <summary>Found by the model: a route configuration response carried a virtual host the client had rejected, with only another host changed.</summary>
    [Test]
    public void Delta_RejectedVirtualHost_IsNotSentAgainWithAChangeToAnotherHost() =>
        new ModelRun(new ModelScenario(Delta: true, NamedClusters: false, NackSingle: false, ExplicitWildcard: false, [new(4, 83), new(5, 186), new(8, 238), new(0, 71), new(0, 194), new(0, 3), new(5, 162), new(4, 32), new(7, 240), new(3, 164), new(7, 176), new(9, 85), new(3, 49), new(4, 71), new(5, 224), new(0, 80), new(4, 241), new(2, 189), new(5, 129), new(5, 38), new(3, 136), new(6, 141), new(8, 237), new(1, 221), new(7, 131)])).Run();

    /// <summary>Found by the model: A rejected listener kept the content of two responses (one keeping a listener whose removal waited, one not) alternating forever.</summary>
    [Test]
    public void Sotw_RejectedListenerWithAndWithoutAWaitingRemoval_IsNotSentInTurns() =>
        new ModelRun(new ModelScenario(Delta: false, NamedClusters: false, NackSingle: false, ExplicitWildcard: false, [new(6, 234), new(4, 191), new(5, 159), new(1, 237), new(0, 106), new(4, 238), new(9, 118), new(0, 85), new(4, 97), new(5, 67), new(7, 235), new(9, 255), new(2, 29), new(3, 230), new(2, 108), new(8, 214), new(8, 210), new(7, 180), new(2, 231), new(2, 22), new(8, 85), new(1, 55), new(5, 173), new(4, 26), new(4, 40), new(0, 255), new(2, 32), new(3, 189), new(3, 112), new(6, 118), new(4, 253)])).Run();

    /// <summary>Found by the model: The EDS refresh that follows a CDS update sent rejected endpoints again.</summary>
    [Test]
    public void Sotw_FreshEndpointsAfterAClusterUpdate_LeaveOutEndpointsTheClientRejected() =>
        new ModelRun(new ModelScenario(Delta: false, NamedClusters: true, NackSingle: false, ExplicitWildcard: false, [new(6, 42), new(7, 63), new(8, 7), new(6, 7), new(6, 108), new(9, 249), new(0, 10), new(2, 140), new(0, 225), new(2, 12), new(1, 128), new(3, 249), new(7, 216), new(7, 239), new(0, 136), new(6, 48), new(3, 36), new(5, 59), new(9, 55), new(7, 178), new(4, 77), new(8, 189), new(1, 60), new(5, 151), new(9, 211)])).Run();

    /// <summary>Found by the model: A route went out for a cluster the client was being told to remove.</summary>
    [Test]
    public void Sotw_RouteToAClusterWhoseRemovalIsInFlight_WaitsForIt() =>
        new ModelRun(new ModelScenario(Delta: false, NamedClusters: false, NackSingle: false, ExplicitWildcard: false, [new(4, 134), new(3, 44), new(5, 13), new(8, 74), new(1, 240), new(5, 214), new(2, 70), new(2, 118), new(6, 231), new(5, 49), new(0, 50), new(8, 215), new(6, 153), new(1, 66), new(0, 81), new(9, 246), new(3, 42), new(4, 68), new(4, 132), new(6, 26), new(5, 147), new(4, 177), new(6, 150), new(6, 24), new(1, 109), new(7, 185), new(4, 157), new(0, 160), new(9, 105), new(8, 77), new(9, 120), new(3, 193), new(4, 135), new(4, 244)])).Run();

    /// <summary>Found by the model: A cluster rejected once and sent again was taken as settled, so its routes did not wait for its endpoints.</summary>
    [Test]
    public void Sotw_RejectedClusterSentAgain_IsWarmedBeforeItsRoutes() =>
        new ModelRun(new ModelScenario(Delta: false, NamedClusters: false, NackSingle: true, ExplicitWildcard: false, [new(7, 211), new(5, 28), new(7, 38), new(3, 16), new(9, 178), new(1, 42), new(4, 163), new(7, 245), new(8, 171), new(7, 221), new(1, 99), new(7, 160), new(6, 208), new(7, 60), new(3, 65), new(9, 191), new(8, 225), new(2, 115), new(2, 36), new(4, 235), new(4, 58), new(8, 189), new(4, 64), new(8, 84), new(4, 109), new(7, 102), new(4, 88), new(9, 226), new(0, 142), new(9, 99)])).Run();

    /// <summary>Found by the model: A type whose only news was rejected content counted as pending, so removals of other types waited forever.</summary>
    [Test]
    public void Sotw_ResponseThatWouldRepeatRejectedContent_DoesNotHoldBackRemovals() =>
        new ModelRun(new ModelScenario(Delta: false, NamedClusters: false, NackSingle: false, ExplicitWildcard: false, [new(0, 109), new(6, 96), new(2, 212), new(0, 66), new(0, 193), new(1, 58), new(2, 110), new(1, 53), new(3, 85), new(3, 99), new(3, 210), new(4, 222)])).Run();

    /// <summary>Found by the model: A cluster the client may run from a partly rejected response was left out of a full-state response while a route still used it.</summary>
    [Test]
    public void Sotw_ClusterARejectedRouteMayUse_StaysInTheResponse() =>
        new ModelRun(new ModelScenario(Delta: false, NamedClusters: false, NackSingle: true, ExplicitWildcard: true, [new(2, 9), new(4, 15), new(0, 30), new(7, 160), new(9, 209), new(4, 193), new(8, 2), new(9, 52), new(9, 108), new(4, 77), new(5, 28), new(7, 250), new(2, 136), new(2, 249), new(4, 135), new(8, 82), new(1, 74), new(0, 112), new(9, 161)])).Run();

    /// <summary>Found by the model: On reconnect a cluster the client declared was removed before its routes were known.</summary>
    [Test]
    public void Delta_ReconnectDeclaringClusters_RemovesNothingBeforeTheRoutesAreKnown() =>
        new ModelRun(new ModelScenario(Delta: true, NamedClusters: false, NackSingle: true, ExplicitWildcard: true, [new(8, 90), new(9, 196), new(2, 91), new(1, 98), new(0, 63), new(7, 188), new(4, 166)])).Run();

    /// <summary>Found by the model: A missing listener the client asks for made every cluster removal wait forever.</summary>
    [Test]
    public void Sotw_GrpcClientAskingForAListenerThatDoesNotExist_StillGetsClusterRemovals() =>
        new ModelRun(new ModelScenario(Delta: false, NamedClusters: true, NackSingle: false, ExplicitWildcard: false, [new(5, 121), new(5, 136), new(4, 79), new(8, 8), new(7, 163), new(1, 230), new(2, 159), new(8, 252), new(0, 138), new(3, 0), new(6, 227), new(4, 253), new(1, 80)])).Run();

    /// <summary>Found by the model: After a reconnect and a rejected first CDS response, the ledger kept the node pending.</summary>
    [Test]
    public void Sotw_GrpcClientRejectingItsFirstClusters_EndsRejectedNotPending() =>
        new ModelRun(new ModelScenario(Delta: false, NamedClusters: true, NackSingle: false, ExplicitWildcard: true, [new(2, 190), new(7, 1), new(7, 87), new(0, 16), new(3, 143), new(8, 153), new(5, 9), new(1, 226), new(3, 72), new(7, 254), new(6, 84), new(7, 184), new(0, 70), new(2, 243)])).Run();

    /// <summary>Found by the model: A cluster the client took from a response it rejected was removed while its route used it.</summary>
    [Test]
    public void Sotw_GrpcClientPartlyApplyingClusters_KeepsTheOnesItsRoutesUse() =>
        new ModelRun(new ModelScenario(Delta: false, NamedClusters: true, NackSingle: true, ExplicitWildcard: true, [new(2, 74), new(6, 45), new(4, 36), new(7, 203), new(3, 28), new(9, 28), new(6, 19), new(2, 231), new(5, 144), new(3, 112), new(3, 67), new(2, 233), new(1, 207), new(7, 155), new(9, 194), new(1, 7), new(9, 66), new(0, 132), new(0, 138), new(8, 100), new(2, 48), new(0, 4), new(7, 185), new(7, 22), new(1, 147)])).Run();

    /// <summary>Found by the model: After a reconnect, clusters used by declared routes were expected gone.</summary>
    [Test]
    public void Delta_ReconnectDeclaringRoutes_KeepsTheClustersTheyMayUse() =>
        new ModelRun(new ModelScenario(Delta: true, NamedClusters: true, NackSingle: false, ExplicitWildcard: true, [new(2, 77), new(3, 82), new(6, 12), new(0, 25), new(8, 207), new(6, 164), new(4, 17), new(7, 119), new(1, 240), new(7, 72), new(9, 187), new(5, 248), new(9, 152), new(2, 82), new(8, 50), new(6, 162), new(1, 173), new(4, 96), new(4, 155), new(0, 130), new(9, 194), new(6, 192), new(4, 72), new(2, 65), new(2, 184), new(8, 22), new(4, 220), new(4, 100), new(7, 66), new(9, 110), new(4, 24), new(7, 183), new(3, 251), new(4, 47), new(4, 220), new(4, 145), new(6, 255)])).Run();

    /// <summary>Found by the model: after a reconnect, rejected endpoints of a declared cluster left the node pending, not rejected.</summary>
    [Test]
    public void Delta_ReconnectRejectingEndpointsOfADeclaredCluster_EndsRejectedNotPending() =>
        new ModelRun(new ModelScenario(Delta: true, NamedClusters: false, NackSingle: false, ExplicitWildcard: true, [new(6, 175), new(3, 100), new(6, 118), new(9, 228), new(0, 87), new(5, 82), new(2, 63), new(5, 250), new(7, 111), new(2, 80), new(0, 251), new(2, 242), new(3, 32), new(6, 4)])).Run();
}
