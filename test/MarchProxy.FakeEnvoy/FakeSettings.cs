using System.Globalization;

namespace MarchProxy.FakeEnvoy;

/// <summary>Behaviour presets from FAKE_ENVOY_* environment variables (the test's wrapper script sets them).</summary>
internal sealed class FakeSettings
{
    public string Version { get; init; } = "1.36.2";

    /// <summary>Resources whose name contains this are NACKed.</summary>
    public string NackPattern { get; set; } = "nack";

    public bool CrashOnStart { get; init; }

    public string? CrashOnStartFile { get; init; }

    public int StartDelayMs { get; init; }

    public int AdminDelayMs { get; init; }

    public string? StatsFile { get; init; }

    public string? CallLogFile { get; init; }

    /// <summary>FAKE_ENVOY_XDS_LOG: every accepted xDS response, with the names it removed, one line each.</summary>
    public string? XdsLogFile { get; init; }

    /// <summary>This epoch exits with code 1 right after it took the admin port over (a child dying mid-initialization).</summary>
    public int? FailEpoch { get; init; }

    /// <summary>This epoch never reaches LIVE (it never contacts the ADS server).</summary>
    public int? StuckEpoch { get; init; }

    public bool IgnoreQuit { get; init; }

    public bool IgnoreSigterm { get; init; }

    public bool FailValidation { get; init; }

    /// <summary>After /drain_listeners, every /stats read lowers server.total_connections by this much.</summary>
    public long DrainStep { get; init; } = 1;

    public static FakeSettings FromEnvironment() => new()
    {
        Version = Get("FAKE_ENVOY_VERSION") ?? "1.36.2",
        NackPattern = Get("FAKE_ENVOY_NACK_PATTERN") ?? "nack",
        CrashOnStart = IsTrue("FAKE_ENVOY_CRASH_ON_START"),
        CrashOnStartFile = Get("FAKE_ENVOY_CRASH_ON_START_FILE"),
        StartDelayMs = Int("FAKE_ENVOY_START_DELAY_MS") ?? 0,
        AdminDelayMs = Int("FAKE_ENVOY_ADMIN_DELAY_MS") ?? 0,
        StatsFile = Get("FAKE_ENVOY_STATS_FILE"),
        CallLogFile = Get("FAKE_ENVOY_CALL_LOG"),
        XdsLogFile = Get("FAKE_ENVOY_XDS_LOG"),
        FailEpoch = Int("FAKE_ENVOY_FAIL_EPOCH"),
        StuckEpoch = Int("FAKE_ENVOY_STUCK_EPOCH"),
        IgnoreQuit = IsTrue("FAKE_ENVOY_IGNORE_QUIT"),
        IgnoreSigterm = IsTrue("FAKE_ENVOY_IGNORE_SIGTERM"),
        FailValidation = IsTrue("FAKE_ENVOY_FAIL_VALIDATION"),
        DrainStep = Int("FAKE_ENVOY_DRAIN_STEP") ?? 1,
    };

    private static string? Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static bool IsTrue(string name) => Get(name) is "1" or "true" or "True";

    private static int? Int(string name) =>
        int.TryParse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
