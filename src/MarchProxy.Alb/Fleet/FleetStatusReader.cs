using MarchProxy.Alb.Configuration;
using MarchProxy.Api.V1;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Fleet;

/// <summary>GetStatus' fleet section: the store's reachability and every live member; null with the file store.</summary>
public sealed class FleetStatusReader(IOptions<AlbOptions> alb, IOptions<EtcdOptions> etcd, StoreHealth health, FleetView fleet)
{
    public bool IsFleet => string.Equals(alb.Value.StateStore, "etcd", StringComparison.OrdinalIgnoreCase);

    public FleetStatus? Read()
    {
        if (!IsFleet)
        {
            return null;
        }

        var status = new FleetStatus
        {
            Store = "etcd",
            StoreConnected = health.Connected,
            StoreError = health.Error,
            Endpoints = etcd.Value.Endpoints,
            Prefix = etcd.Value.NormalizedPrefix(),
        };
        status.Members.AddRange(fleet.Members.Select(m => new FleetMemberStatus
        {
            ModuleId = m.ModuleId,
            AppliedVersion = m.AppliedVersion,
            AckedVersion = m.AckedVersion,
            Health = m.Health,
            Self = string.Equals(m.ModuleId, alb.Value.ModuleId, StringComparison.Ordinal),
            StoreConnected = m.StoreConnected,
        }));
        return status;
    }
}
