using Envoy.Service.Discovery.V3;
using Grpc.Core;
using MarchProxy.ControlPlane.Cache;
using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// The Aggregated Discovery Service: state-of-the-world and delta ADS over one gRPC service. Each call
/// runs an <see cref="AdsTransport{TRequest,TResponse}"/> with its flavour's codec around one
/// <see cref="AdsStateMachine"/>; snapshots come from <see cref="ISnapshotCache"/> and ACKs go to the
/// <see cref="AckLedger"/>. Map it on the xDS port only (HTTP/2, h2c prior knowledge).
/// </summary>
public sealed class AdsService : AggregatedDiscoveryService.AggregatedDiscoveryServiceBase
{
    private readonly AdsStreamContext _context;

    public AdsService(ISnapshotCache cache, AckLedger ledger, IControlPlaneObserver observer, TimeProvider time, AdsShutdown shutdown, ILogger<AdsService> logger)
    {
        _context = new AdsStreamContext(cache, ledger, observer, time, shutdown, logger);
    }

    public override Task StreamAggregatedResources(
        IAsyncStreamReader<DiscoveryRequest> requestStream,
        IServerStreamWriter<DiscoveryResponse> responseStream,
        ServerCallContext context) =>
        new AdsTransport<DiscoveryRequest, DiscoveryResponse>(_context, SotwCodec.Instance)
            .RunAsync(requestStream, responseStream, CallerIdentity.Describe(context), context.CancellationToken);

    public override Task DeltaAggregatedResources(
        IAsyncStreamReader<DeltaDiscoveryRequest> requestStream,
        IServerStreamWriter<DeltaDiscoveryResponse> responseStream,
        ServerCallContext context) =>
        new AdsTransport<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(_context, DeltaCodec.Instance)
            .RunAsync(requestStream, responseStream, CallerIdentity.Describe(context), context.CancellationToken);
}
