namespace MarchProxy.Supervisor;

/// <summary>
/// Envoy's admin API on 127.0.0.1:AdminPort. Calls that change something are POSTs, as Envoy requires.
/// Failures surface as <see cref="EnvoyAdminException"/> (an answer other than 2xx, or one that does not
/// parse), <see cref="HttpRequestException"/> (nothing answers) or <see cref="TimeoutException"/>.
/// Telemetry reads Envoy's stats through <see cref="GetStatsAsync"/> or <see cref="GetPrometheusStatsAsync"/>.
/// </summary>
public interface IEnvoyAdminClient
{
    /// <summary>GET /server_info: version, state, hot-restart epoch and base id.</summary>
    Task<EnvoyServerInfo> GetServerInfoAsync(CancellationToken cancellationToken = default);

    /// <summary>GET /ready: 200 "LIVE", or 503 with the state name.</summary>
    Task<EnvoyReadiness> GetReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>GET /stats?format=json (optionally <c>&amp;filter=</c> an RE2 regex): counters, gauges and histogram quantiles.</summary>
    Task<EnvoyStats> GetStatsAsync(string? filter = null, CancellationToken cancellationToken = default);

    /// <summary>GET /stats/prometheus, as text.</summary>
    Task<string> GetPrometheusStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>POST /healthcheck/fail: health checks fail and connections start to drain-close.</summary>
    Task HealthcheckFailAsync(CancellationToken cancellationToken = default);

    /// <summary>POST /drain_listeners (with <c>?graceful</c> when <paramref name="graceful"/>).</summary>
    Task DrainListenersAsync(bool graceful, CancellationToken cancellationToken = default);

    /// <summary>POST /quitquitquit: a clean exit.</summary>
    Task QuitAsync(CancellationToken cancellationToken = default);
}
