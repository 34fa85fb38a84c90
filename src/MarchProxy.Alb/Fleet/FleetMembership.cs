using Etcdserverpb;
using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.State;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// This ALB's member key, <c>&lt;prefix&gt;members/&lt;MODULE_ID&gt;</c>, on a lease of
/// <see cref="EtcdOptions.MemberTtl"/> renewed at a third of it: the version it serves, the version
/// its xDS nodes ACKed (<see cref="LocalAckTracker"/>) and its health, rewritten when one changes. The
/// key disappears when the ALB stops (the lease is revoked) or stops renewing it. Losing the lease
/// (etcd down longer than the TTL) registers again once etcd answers.
/// </summary>
public sealed class FleetMembership(
    EtcdConnection etcd,
    ConfigStore config,
    LocalAckTracker acks,
    IMemberReadiness readiness,
    StoreHealth health,
    IOptions<AlbOptions> alb,
    IOptions<EtcdOptions> options,
    TimeProvider timeProvider,
    ILogger<FleetMembership> logger) : BackgroundService
{
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(500);
    private long _lease;
    private int _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tracking = acks.RunAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await KeepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                if (ex is RpcException rpc)
                {
                    etcd.Failed(rpc);
                }

                // Once per loss, not at every retry while etcd stays away.
                if (Interlocked.Exchange(ref _registered, 0) == 1)
                {
                    FleetLog.LeaseLost(logger, alb.Value.ModuleId, ex.Message);
                }
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested && ex is OperationCanceledException or RpcException)
            {
                break;
            }

            try
            {
                await Task.Delay(Backoff, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await RevokeAsync();
        await tracking;
    }

    private async Task KeepAsync(CancellationToken cancellationToken)
    {
        var ttl = options.Value.MemberTtl;
        var request = new LeaseGrantRequest { TTL = (long)Math.Ceiling(ttl.TotalSeconds) };
        var grant = await etcd.CallAsync(o => etcd.Lease.LeaseGrantAsync(request, o), repeatable: true, cancellationToken);
        Volatile.Write(ref _lease, grant.ID);
        using var call = etcd.Lease.LeaseKeepAlive(await etcd.StreamAsync(cancellationToken));
        var renewals = ReadRenewalsAsync(call.ResponseStream, cancellationToken);
        using var timer = new PeriodicTimer(ttl / 3, timeProvider);
        FleetMember? written = null;
        var ticks = 0;
        var tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();
        var changed = Changed();
        while (true)
        {
            var member = Describe();
            if (member != written)
            {
                var put = new PutRequest { Key = etcd.Keys.Key(EtcdKeys.Members, member.ModuleId), Value = FleetView.Encode(member), Lease = grant.ID };
                await etcd.CallAsync(o => etcd.Kv.PutAsync(put, o), repeatable: true, cancellationToken);
                written = member;
                Volatile.Write(ref _registered, 1);
            }

            var done = await Task.WhenAny(tick, changed, renewals);
            if (done == changed)
            {
                changed = Changed();
            }

            if (done == renewals)
            {
                await renewals;
            }

            if (done == tick)
            {
                if (!await tick)
                {
                    return;
                }

                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = grant.ID }, cancellationToken);
                tick = timer.WaitForNextTickAsync(cancellationToken).AsTask();

                // Once per TTL the key is written again, changed or not: a view that missed an event
                // (its watch was cut and resumed) has every live member back within a TTL.
                if (++ticks % 3 == 0)
                {
                    written = null;
                }
            }
        }
    }

    private Task<Task> Changed() => Task.WhenAny(config.Versions.Next(), acks.Acked.Next(), health.Changed.Next());

    private static async Task ReadRenewalsAsync(IAsyncStreamReader<LeaseKeepAliveResponse> responses, CancellationToken cancellationToken)
    {
        while (await responses.MoveNext(cancellationToken))
        {
            if (responses.Current.TTL <= 0)
            {
                throw new LeaseLostException("the lease expired");
            }
        }

        throw new LeaseLostException("etcd ended the lease keep-alive stream");
    }

    private FleetMember Describe() => new()
    {
        ModuleId = alb.Value.ModuleId,
        AppliedVersion = config.Current.Version,
        AckedVersion = acks.Acked.Value,
        Health = readiness.IsReady ? "ready" : "not_ready",
        StoreConnected = health.Connected,
    };

    private async Task RevokeAsync()
    {
        var lease = Volatile.Read(ref _lease);
        if (lease == 0)
        {
            return;
        }

        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2), timeProvider);
            await etcd.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, await etcd.UnaryAsync(limit.Token));
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            // The lease then expires on its own within the TTL.
        }
    }
}
