using System.Globalization;
using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Fleet;
using MarchProxy.Alb.Health;
using MarchProxy.Alb.State;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Re2;
using MarchProxy.Supervisor;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Api;

/// <summary>Builds GetStatus from the real sources: options, uptime, the store, the supervisor, the ACK ledger.</summary>
public sealed class StatusReporter(
    IOptions<AlbOptions> options,
    HostInfo host,
    ConfigStore store,
    ReadinessProbe readiness,
    IEnvoySupervisor supervisor,
    IAckLedger ledger,
    IHostApplicationLifetime lifetime,
    ShutdownState shutdown,
    FleetStatusReader fleet)
{
    public StatusResponse Build()
    {
        var envoy = supervisor.GetStatus();
        var ready = readiness.Check();
        var current = store.Current.State;
        var response = new StatusResponse
        {
            ModuleId = options.Value.ModuleId,
            ModuleType = HostInfo.ModuleType,
            Version = host.Version,
            Health = Health(ready, envoy),
            UptimeSeconds = (long)host.Uptime.TotalSeconds,
            EnvoyVersion = envoy.IsSupervising ? envoy.EnvoyVersion ?? string.Empty : string.Empty,
            EnvoyState = EnvoyStateNames.Of(envoy),
            ConfigVersion = current.Version,
        };

        var metadata = response.Metadata;
        metadata["mode"] = envoy.IsSupervising ? "supervised" : "control-plane-only";
        metadata["ready"] = ready.Ready ? "true" : "false";
        metadata["routes"] = Text(current.Routes.Count);
        metadata["clusters"] = Text(current.Clusters.Count);
        metadata["listeners"] = Text(current.Listeners.Count);
        metadata["regex_syntax"] = Re2Syntax.Description;
        if (!envoy.IsSupervising)
        {
            metadata["envoy_absent_reason"] = envoy.AbsentReason ?? "not supervised";
        }
        else
        {
            metadata["envoy_epoch"] = Text(envoy.Epoch);
            metadata["envoy_restart_count"] = Text(envoy.RestartCount);
            metadata["envoy_hot_restart_count"] = Text(envoy.HotRestartCount);
            if (envoy.LastError is { } error)
            {
                metadata["envoy_last_error"] = error;
            }
        }

        response.XdsNodes.AddRange(ledger.GetNodes().Select(ToApi));
        if (fleet.Read() is { } fleetStatus)
        {
            metadata["state_store"] = "etcd";
            metadata["state_store_connected"] = fleetStatus.StoreConnected ? "true" : "false";
            response.Fleet = fleetStatus;
        }

        return response;
    }

    private HealthStatus Health(ReadinessReport ready, EnvoyStatus envoy)
    {
        if (shutdown.IsStopping || lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthStatus.Stopping;
        }

        if (!ready.SnapshotServed)
        {
            return HealthStatus.Starting;
        }

        if (!envoy.IsSupervising || ready.EnvoyReady)
        {
            return HealthStatus.Healthy;
        }

        if (!envoy.IsHealthy)
        {
            return HealthStatus.Unhealthy;
        }

        return envoy.State is EnvoyState.Starting or EnvoyState.Stopped ? HealthStatus.Starting : HealthStatus.Degraded;
    }

    private static XdsNodeStatus ToApi(NodeAckState node)
    {
        var status = new XdsNodeStatus
        {
            NodeId = node.NodeId,
            Kind = node.Kind.ToString().ToLowerInvariant(),
            Connected = node.Connected,
            LastNackType = node.LastNack?.TypeUrl ?? string.Empty,
            LastNackVersion = node.LastNack?.Version ?? string.Empty,
            LastNackError = node.LastNack?.Error ?? string.Empty,
        };
        foreach (var (typeUrl, version) in node.AckedVersions)
        {
            status.AckedVersions[typeUrl] = version;
        }

        status.HeldBackVirtualHosts.Add(node.HeldBackVirtualHosts);
        return status;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
