using MarchProxy.ControlPlane.Cache;
using Microsoft.Extensions.Logging;

namespace MarchProxy.ControlPlane.Server;

/// <summary>What every ADS stream needs from the rest of the control plane.</summary>
internal sealed record AdsStreamContext(
    ISnapshotCache Cache,
    AckLedger Ledger,
    IControlPlaneObserver Observer,
    TimeProvider Time,
    AdsShutdown Shutdown,
    ILogger Logger);
