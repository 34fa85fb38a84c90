using MarchProxy.Load.Ads;

namespace MarchProxy.Load.Results;

/// <summary>
/// Mutation → ACK at one fleet size. Times are from the moment the SetTrafficWeight call was sent.
/// <see cref="HostCpuPerStreamUs"/> and <see cref="ClientCpuPerStreamUs"/> are the CPU time the host and
/// the harness (its clients and the caller) used over the measured mutations, per mutation and stream:
/// unlike the latencies, they hardly depend on what else the machine runs.
/// </summary>
public sealed record PropagationResult(
    int Streams,
    XdsProtocol Protocol,
    bool AllSynced,
    double ConnectSeconds,
    int Mutations,
    int Complete,
    LatencySummary Rpc,
    LatencySummary FirstAck,
    LatencySummary LastAck,
    long Nacks,
    long Reconnects,
    IReadOnlyList<string> Problems,
    double HostCpuPerStreamUs = 0,
    double ClientCpuPerStreamUs = 0);
