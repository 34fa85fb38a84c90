namespace MarchProxy.Supervisor.Envoy;

/// <summary>Finds the Envoy binary: a configured path, or a bare name (default <c>envoy</c>) searched on PATH.</summary>
internal static class EnvoyBinaryLocator
{
    public const string DefaultName = "envoy";

    /// <summary>The full path of the binary, or null with the reason in <paramref name="reason"/>.</summary>
    public static string? Locate(string? configured, string? pathVariable, out string reason)
    {
        var name = string.IsNullOrWhiteSpace(configured) ? DefaultName : configured.Trim();
        if (name.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || name.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(name);
            reason = IsExecutable(full) ? string.Empty : $"the Envoy binary '{full}' does not exist or is not executable";
            return reason.Length == 0 ? full : null;
        }

        foreach (var directory in (pathVariable ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (IsExecutable(candidate))
            {
                reason = string.Empty;
                return Path.GetFullPath(candidate);
            }
        }

        reason = $"no '{name}' binary on PATH (set ENVOY_BINARY, or ENVOY_ENABLED=false for control-plane-only mode)";
        return null;
    }

    private static bool IsExecutable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
