using System.Text.RegularExpressions;

namespace MarchProxy.Supervisor;

/// <summary>The parts of <c>/server_info</c> the supervisor uses.</summary>
/// <param name="Version">The whole version string, for example "d1d8…/1.36.2/Clean/RELEASE/BoringSSL".</param>
/// <param name="State">LIVE, DRAINING, PRE_INITIALIZING or INITIALIZING.</param>
/// <param name="RestartEpoch">command_line_options.restart_epoch.</param>
/// <param name="BaseId">command_line_options.base_id.</param>
/// <param name="HotRestartVersion">hot_restart_version.</param>
/// <param name="UptimeCurrentEpoch">uptime_current_epoch.</param>
public sealed partial record EnvoyServerInfo(
    string Version,
    string State,
    int? RestartEpoch,
    long? BaseId,
    string? HotRestartVersion,
    TimeSpan? UptimeCurrentEpoch)
{
    public bool IsLive => string.Equals(State, "LIVE", StringComparison.Ordinal);

    /// <summary>The "major.minor.patch" part of <see cref="Version"/>, or the whole string when it has none.</summary>
    public string SemanticVersion
    {
        get
        {
            var match = SemanticVersionPattern().Match(Version);
            return match.Success ? match.Groups[1].Value : Version;
        }
    }

    [GeneratedRegex(@"(?:^|/)(\d+\.\d+\.\d+(?:-[A-Za-z0-9.]+)?)(?:/|$)")]
    private static partial Regex SemanticVersionPattern();
}
