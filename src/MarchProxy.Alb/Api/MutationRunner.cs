using Google.Rpc;
using Grpc.Core;
using MarchProxy.Alb.Api.Events;
using MarchProxy.Alb.Fleet;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Runs one mutation through the config store and, when asked, waits for the nodes' ACKs. Errors
/// become RpcExceptions: the store's refusals (nothing changed), ABORTED when a node NACKs the new
/// version (the desired state keeps it), DEADLINE_EXCEEDED when the ACKs do not arrive in time.
/// Every applied version is logged once (who, what, version) and announced to WatchEvents'
/// <see cref="ConfigEventHub"/> (after the store swapped it in; two concurrent mutations may announce
/// in either order, each with its version). A mutation that changes nothing answers the current
/// version; with wait_for_ack it waits for that version's ACKs.
/// </summary>
public sealed class MutationRunner(
    ConfigStore store,
    AckWaiter ackWaiter,
    FleetAckWaiter fleetWaiter,
    ConfigEventHub events,
    ILogger<MutationRunner> logger)
{
    /// <summary>
    /// Runs <paramref name="mutate"/> through the store. <paramref name="fields"/> names the request's
    /// fields for errors the store's whole-state checks find (model paths otherwise).
    /// </summary>
    public async Task<MutationReply> RunAsync(
        string operation,
        Func<DesiredState, MutationOutcome> mutate,
        bool validateOnly,
        bool waitForAck,
        ServerCallContext context,
        AckScope scope = AckScope.Local,
        RequestFields? fields = null)
    {
        var result = await store.ApplyAsync(operation, mutate, validateOnly, context.CancellationToken);
        return await CompleteAsync(operation, result, waitForAck, context, scope, fields);
    }

    public async Task<MutationReply> CompleteAsync(
        string operation,
        ApplyResult result,
        bool waitForAck,
        ServerCallContext context,
        AckScope scope = AckScope.Local,
        RequestFields? fields = null)
    {
        // The peer, and the client certificate's identity when the API runs mutual TLS.
        var caller = CallerIdentity.Describe(context);
        if (!result.Succeeded)
        {
            var reason = ValidationText.Truncate(result.Message, RpcErrors.MaxMessageLength);
            ApiLog.MutationRefused(logger, operation, caller, result.Status, reason);
            throw RpcErrors.FromApplyResult(result, fields);
        }

        var unchanged = result.Status == ApplyStatus.Unchanged;
        var validated = result.Status == ApplyStatus.Validated;
        if (result.Status == ApplyStatus.Applied)
        {
            ApiLog.MutationApplied(logger, operation, caller, result.Version, result.Message);
            events.ConfigApplied(result.Version, operation);
        }
        else if (unchanged)
        {
            ApiLog.MutationUnchanged(logger, operation, caller, result.Version, result.Message);
        }

        if (!waitForAck || validated)
        {
            return new MutationReply(result, null);
        }

        var outcome = await ackWaiter.WaitAsync(result.Version, context.Deadline, context.CancellationToken);
        var ack = outcome.Status;
        if (ack.Nacks.Count > 0)
        {
            var message = $"version {result.Version} was rejected: {string.Join("; ", ack.Nacks)}. The desired state keeps the change; the rejected version is not resent";
            ApiLog.VersionNacked(logger, operation, result.Version, string.Join("; ", ack.Nacks));
            throw RpcErrors.Create(Code.Aborted, message, "NACKED", result.Version);
        }

        if (outcome.TimedOut)
        {
            var message = $"version {result.Version} is applied but not yet ACKed by every node: {ack.AckedNodes} ACKed, pending {string.Join(", ", outcome.PendingNodes)}";
            ApiLog.AckTimedOut(logger, operation, result.Version, ack.PendingNodes);
            throw RpcErrors.Create(Code.DeadlineExceeded, message, "ACK_TIMEOUT", result.Version);
        }

        if (scope == AckScope.Fleet && store.Store.IsShared)
        {
            ack.Fleet = await WaitForFleetAsync(operation, result.Version, context);
        }

        return new MutationReply(result, ack);
    }

    /// <summary>Every live member's xDS nodes ACKed the version, or DEADLINE_EXCEEDED naming the members behind.</summary>
    private async Task<FleetAckStatus> WaitForFleetAsync(string operation, long version, ServerCallContext context)
    {
        var fleet = await fleetWaiter.WaitAsync(version, ackWaiter.Timeout(context.Deadline), context.CancellationToken);
        if (fleet.TimedOut)
        {
            var message = $"version {version} is applied but not yet ACKed by every member of the fleet: {fleet.Acked.Count} ACKed, behind: {string.Join(", ", fleet.Pending)}";
            ApiLog.AckTimedOut(logger, operation, version, fleet.Pending.Count);
            throw RpcErrors.Create(Code.DeadlineExceeded, message, "FLEET_ACK_TIMEOUT", version);
        }

        var status = new FleetAckStatus { AckedMembers = fleet.Acked.Count };
        status.PendingMembers.AddRange(fleet.Pending);
        return status;
    }
}
