using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Tests.TestSupport;

namespace MarchProxy.ControlPlane.Tests.Server;

/// <summary>Many streams, rapid changes, and the release of every watch when streams close.</summary>
public sealed class AdsStreamLifecycleTests
{
    private const int Streams = 50;
    private const int Changes = 200;
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(30);

    private AdsTestServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await AdsTestServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    /// <summary>Every type changes at every version, so every type must end on the final one.</summary>
    private static XdsModel Version(XdsModel model, int i) => model
        .Set(Xds.EdsCluster("a", connectTimeoutMs: 1000 + i))
        .Set(Xds.Assignment("a", 20000 + i))
        .Set(Xds.Listener("l", "r", (uint)(30000 + i)))
        .Set(Xds.Routes("r", "a").Also(r => r.VirtualHosts[0].Name = $"v{i}"));

    private static async Task ConvergeSotwAsync(SotwClient client, string final)
    {
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        while (latest.Count < 4 || latest.Values.Any(v => v != final))
        {
            var response = await client.ReadAndAckAsync();
            latest[response.TypeUrl] = response.VersionInfo;
        }
    }

    private static async Task ConvergeDeltaAsync(DeltaClient client, string final)
    {
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        while (latest.Count < 4 || latest.Values.Any(v => v != final))
        {
            var response = await client.ReadAndAckAsync();
            latest[response.TypeUrl] = response.SystemVersionInfo;
        }
    }

    private static async Task SyncDeltaAsync(DeltaClient client)
    {
        foreach (var (type, names) in new[]
                 {
                     (ResourceTypes.Cluster, Array.Empty<string>()),
                     (ResourceTypes.Endpoint, ["a"]),
                     (ResourceTypes.Listener, Array.Empty<string>()),
                     (ResourceTypes.Route, ["r"]),
                 })
        {
            await client.SubscribeAsync(type, names);
            (await client.ReadAndAckAsync()).TypeUrl.Should().Be(type);
        }
    }

    [Test]
    public async Task FiftyStreams_TwoHundredRapidChanges_EveryStreamConvergesOnTheFinalVersion()
    {
        var model = XdsModel.Basic();
        _server.Publish(1, Version(model, 1));
        var sotw = Enumerable.Range(0, Streams / 2).Select(i => _server.Sotw(AdsTestServer.EnvoyNode($"sotw-{i}"))).ToList();
        var delta = Enumerable.Range(0, Streams / 2).Select(i => _server.Delta(AdsTestServer.EnvoyNode($"delta-{i}"))).ToList();
        await Task.WhenAll(sotw.Select(c => c.SyncAsync(["a"], ["r"])).Concat(delta.Select(SyncDeltaAsync))).WaitAsync(ConvergenceTimeout);
        _server.Cache.OpenWatchCount.Should().Be(Streams);

        const long final = Changes + 1;
        var finalText = final.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var converging = sotw.Select(c => ConvergeSotwAsync(c, finalText)).Concat(delta.Select(c => ConvergeDeltaAsync(c, finalText))).ToList();
        for (var i = 2; i <= final; i++)
        {
            _server.Publish(i, Version(model, i));
        }

        await Task.WhenAll(converging).WaitAsync(ConvergenceTimeout);
        var result = await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, final, ConvergenceTimeout, CancellationToken.None).WaitAsync(ConvergenceTimeout);
        result.AckedNodes.Should().Be(Streams);
        result.Succeeded.Should().BeTrue();
        var sentPerStream = _server.Observer.Events.Count(e => e.StartsWith("sent:", StringComparison.Ordinal)) / (double)Streams;
        sentPerStream.Should().BeLessThan(4 * Changes, "changes coalesce: a stream never gets one response per change per type");

        foreach (var client in sotw)
        {
            await client.DisposeAsync();
        }

        foreach (var client in delta)
        {
            await client.DisposeAsync();
        }

        await _server.Observer.WaitForClosedAsync(Streams).WaitAsync(ConvergenceTimeout);
        _server.Cache.OpenWatchCount.Should().Be(0);
        _server.Ledger.GetNodes().Should().OnlyContain(n => !n.Connected);
    }

    [Test]
    public async Task ClientHalfClosesAfterItsRequest_GetsTheQueuedResponseThenTheCallEnds()
    {
        _server.Publish(1, XdsModel.Basic());
        using var call = _server.Client.StreamAggregatedResources();
        await call.RequestStream.WriteAsync(new Envoy.Service.Discovery.V3.DiscoveryRequest
        {
            Node = AdsTestServer.EnvoyNode(),
            TypeUrl = ResourceTypes.Cluster,
        }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();

        (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeTrue();
        call.ResponseStream.Current.TypeUrl.Should().Be(ResourceTypes.Cluster);
        (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout()).Should().BeFalse();
        await _server.Observer.WaitForClosedAsync(1).DefaultTimeout();
        _server.Cache.OpenWatchCount.Should().Be(0);
    }

    [Test]
    public async Task StreamsClose_EveryWatchIsReleasedAndNodesShowDisconnected()
    {
        _server.Publish(1, XdsModel.Basic());
        await using var cancelled = _server.Sotw(AdsTestServer.EnvoyNode("cancelled"));
        await using var halfClosed = _server.Sotw(AdsTestServer.EnvoyNode("half-closed"));
        await using var deltaClient = _server.Delta(AdsTestServer.EnvoyNode("delta"));
        await cancelled.SyncAsync(["a"], ["r"]);
        await halfClosed.SyncAsync(["a"], ["r"]);
        await SyncDeltaAsync(deltaClient);
        _server.Cache.OpenWatchCount.Should().Be(3);

        await halfClosed.CompleteAsync();
        await _server.Observer.WaitForClosedAsync(1).DefaultTimeout();
        await cancelled.DisposeAsync();
        await deltaClient.DisposeAsync();
        await _server.Observer.WaitForClosedAsync(3).DefaultTimeout();

        _server.Cache.OpenWatchCount.Should().Be(0);
        _server.Ledger.GetNodes().Should().HaveCount(3).And.OnlyContain(n => !n.Connected);
        _server.Ledger.HasAckedClustersAndListeners(NodeKind.Envoy).Should().BeFalse();
        (await _server.Ledger.WaitForAckAsync(NodeKind.Envoy, 1, TimeSpan.FromSeconds(5), CancellationToken.None).DefaultTimeout())
            .AckedNodes.Should().Be(0);
    }

    [Test]
    public async Task CloseAllStreams_OpenStreamsEndWithUnavailable_AndNewStreamsAreRefused()
    {
        _server.Publish(1, XdsModel.Basic());
        await using var sotw = _server.Sotw(AdsTestServer.EnvoyNode("sotw"));
        await using var delta = _server.Delta(AdsTestServer.EnvoyNode("delta"));
        await sotw.SyncAsync(["a"], ["r"]);
        await SyncDeltaAsync(delta);

        _server.Shutdown.CloseAllStreams();

        await _server.Observer.WaitForClosedAsync(2).DefaultTimeout();
        var sotwEnd = await FluentActions.Awaiting(() => sotw.ReadAsync()).Should().ThrowAsync<Grpc.Core.RpcException>();
        sotwEnd.Which.StatusCode.Should().Be(Grpc.Core.StatusCode.Unavailable);
        var deltaEnd = await FluentActions.Awaiting(() => delta.ReadAsync()).Should().ThrowAsync<Grpc.Core.RpcException>();
        deltaEnd.Which.StatusCode.Should().Be(Grpc.Core.StatusCode.Unavailable);
        _server.Cache.OpenWatchCount.Should().Be(0);

        await using var late = _server.Sotw(AdsTestServer.EnvoyNode("late"));
        await late.SubscribeAsync(ResourceTypes.Cluster);
        var lateEnd = await FluentActions.Awaiting(() => late.ReadAsync()).Should().ThrowAsync<Grpc.Core.RpcException>();
        lateEnd.Which.StatusCode.Should().Be(Grpc.Core.StatusCode.Unavailable);
    }
}
