using Grpc.Core;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Reload: re-reads the standalone config file and applies it as a new version (routes and clusters
/// the API owns keep the API's version; see <see cref="ReloadMerge"/>); a file that changes nothing
/// answers the current version and pushes nothing. With <c>force</c>, Envoy is
/// then hot-restarted through the supervisor; a failed restart answers success = false with the
/// reason, while the new configuration version stays applied.
/// </summary>
public sealed class ReloadCoordinator(
    ConfigStore store,
    MutationRunner runner,
    IEnvoySupervisor supervisor,
    TimeProvider timeProvider,
    ILogger<ReloadCoordinator> logger)
{
    public async Task<ReloadResponse> ReloadAsync(ReloadRequest request, ServerCallContext context)
    {
        var result = await store.ReloadAsync(context.CancellationToken);
        var reply = await runner.CompleteAsync("Reload", result, request.WaitForAck, context, request.AckScope);
        var response = new ReloadResponse
        {
            Success = true,
            Message = $"{reply.Message}; version {reply.Version}",
            ReloadTimestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            Version = reply.Version,
            Ack = reply.Ack,
            Unchanged = reply.Unchanged,
        };
        if (!request.Force)
        {
            return response;
        }

        var restart = await supervisor.HotRestartAsync(context.CancellationToken);
        switch (restart.Outcome)
        {
            case HotRestartOutcome.Succeeded:
                response.Message += $"; Envoy hot-restarted from epoch {restart.FromEpoch} to {restart.ToEpoch}";
                break;
            case HotRestartOutcome.NotSupervised:
                response.Message += "; no hot restart: no Envoy is supervised (control-plane-only mode)";
                break;
            default:
                ApiLog.HotRestartFailed(logger, restart.Outcome.ToString(), restart.Error ?? string.Empty);
                response.Success = false;
                response.Message += $"; the Envoy hot restart failed ({restart.Outcome}): {restart.Error}. Epoch {restart.FromEpoch} keeps serving";
                break;
        }

        return response;
    }
}
