namespace MarchProxy.Supervisor;

/// <summary>
/// Settings of the supervised Envoy (configuration section "Envoy"). The host maps the ENVOY_*,
/// XDS_* and DATA_DIR environment variables onto these keys; the supervisor reads no environment
/// itself except PATH to find the binary.
/// </summary>
public sealed class EnvoyOptions
{
    public const string SectionName = "Envoy";

    /// <summary>False: control-plane-only mode, reported as absent.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Path to the envoy binary, or a bare name searched on PATH. Null: <c>envoy</c> on PATH. Not found: absent.</summary>
    public string? BinaryPath { get; set; }

    /// <summary>The admin listener address. Loopback only.</summary>
    public string AdminAddress { get; set; } = "127.0.0.1";

    public int AdminPort { get; set; } = 9901;

    /// <summary>The data-plane port the translator uses by default; informational for the supervisor.</summary>
    public int ListenPort { get; set; } = 10000;

    /// <summary>trace, debug, info, warning (warn), error, critical or off.</summary>
    public string LogLevel { get; set; } = "info";

    /// <summary>Worker threads (<c>--concurrency</c>). Null: Envoy's default (hardware threads).</summary>
    public int? Concurrency { get; set; }

    /// <summary>
    /// <c>--drain-time-s</c>: how long Envoy spreads the closing of connections when its listeners drain
    /// (a hot restart, <c>/drain_listeners?graceful</c>). Keep it at or below <see cref="DrainTimeout"/>, or
    /// a stop quits Envoy before its own drain is over.
    /// </summary>
    public TimeSpan DrainTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary><c>--parent-shutdown-time-s</c>: how long the new epoch lets the old one drain before it terminates it. Must exceed <see cref="DrainTime"/>.</summary>
    public TimeSpan ParentShutdownTime { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// DRAIN_TIMEOUT: the drain deadline of a graceful stop. It runs from <c>/healthcheck/fail</c> until
    /// <c>server.total_connections</c> reaches zero; then <c>/quitquitquit</c> and the signals follow
    /// (<see cref="StopEscalationBudget"/>).
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a hot restart waits for the new epoch to be LIVE with its config accepted.</summary>
    public TimeSpan ReloadGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Each escalation step of a stop (after <c>/quitquitquit</c>, after SIGTERM, after SIGKILL) waits this
    /// long for the exit. Envoy exits within milliseconds of <c>/quitquitquit</c> or SIGTERM.
    /// </summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// ENVOY_START_TIMEOUT: an Envoy process that is not LIVE this long after it started is reported as
    /// stalled (a warning, <see cref="EnvoyStatus.StartStalled"/>, unhealthy) until it becomes LIVE.
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>--base-id</c>, shared by every epoch. Null: the admin port, which is unique per host, so
    /// two Envoys on one host never share shared memory and hot restarts always find their parent.
    /// <c>--use-dynamic-base-id</c> is never used: it cannot be combined with an epoch above 0.
    /// </summary>
    public int? BaseId { get; set; }

    /// <summary>The ADS server Envoy connects to (<c>xds_cluster</c>).</summary>
    public string XdsAddress { get; set; } = "127.0.0.1";

    public int XdsPort { get; set; } = 18000;

    /// <summary>XDS_TLS: the ADS server speaks TLS, so the bootstrap's <c>xds_cluster</c> gets a TLS transport socket.</summary>
    public bool XdsTls { get; set; }

    /// <summary>ENVOY_XDS_CA_FILE: the CA bundle Envoy verifies the ADS server certificate with. Null: not verified.</summary>
    public string? XdsTlsCaFile { get; set; }

    /// <summary>ENVOY_XDS_CERT_FILE: the client certificate (PEM) Envoy presents to ADS, for mutual TLS.</summary>
    public string? XdsTlsCertFile { get; set; }

    /// <summary>ENVOY_XDS_KEY_FILE: the private key (PEM) of <see cref="XdsTlsCertFile"/>.</summary>
    public string? XdsTlsKeyFile { get; set; }

    /// <summary>ENVOY_XDS_SERVER_NAME: the SNI Envoy sends to ADS. Null: none.</summary>
    public string? XdsTlsServerName { get; set; }

    public XdsMode XdsMode { get; set; } = XdsMode.Delta;

    /// <summary>The bootstrap's <c>node.id</c> (XDS_NODE_ID, default MODULE_ID).</summary>
    public string NodeId { get; set; } = "alb-1";

    /// <summary>The bootstrap's <c>node.cluster</c> (XDS_CLUSTER).</summary>
    public string NodeCluster { get; set; } = "marchproxy";

    /// <summary>Where the bootstrap (<c>envoy-bootstrap.json</c>) and the pid file (<c>envoy.pid</c>) are written.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>
    /// <c>initial_fetch_timeout</c> of <c>cds_config</c> and <c>lds_config</c>. Zero (the default) makes
    /// Envoy wait for its first CDS and LDS before it reports LIVE, so LIVE means "has config" and a
    /// hot restart never promotes an epoch that has none.
    /// </summary>
    public TimeSpan InitialFetchTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>How often the admin API is asked for the state.</summary>
    public TimeSpan ReadinessPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Timeout of one admin API request.</summary>
    public TimeSpan AdminRequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of <c>envoy --mode validate</c>.</summary>
    public TimeSpan ValidationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First crash-restart delay; doubled on each crash in a row.</summary>
    public TimeSpan RestartBackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest a graceful stop takes after <see cref="DrainTimeout"/>: the <c>/quitquitquit</c> call
    /// (<see cref="AdminRequestTimeout"/>) and a <see cref="StopGracePeriod"/> after it, after SIGTERM and
    /// after SIGKILL.
    /// </summary>
    public TimeSpan StopEscalationBudget => AdminRequestTimeout + (3 * StopGracePeriod);

    /// <summary>The cap of the crash-restart delay, also used throughout a crash loop.</summary>
    public TimeSpan RestartBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>More crashes than this within <see cref="CrashLoopWindow"/> is a crash loop.</summary>
    public int CrashLoopThreshold { get; set; } = 5;

    public TimeSpan CrashLoopWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A run that lasted this long resets the backoff.</summary>
    public TimeSpan StableRunPeriod { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Extra Envoy flags appended to the command line (not the ones the supervisor owns).</summary>
    public List<string> ExtraArgs { get; set; } = [];
}
