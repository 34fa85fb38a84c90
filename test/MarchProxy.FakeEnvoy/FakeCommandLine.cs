using System.Globalization;

namespace MarchProxy.FakeEnvoy;

/// <summary>Envoy's command-line flags, parsed the way Envoy (TCLAP) does: unknown flags are an error.</summary>
internal sealed class FakeCommandLine
{
    private static readonly HashSet<string> ValueFlags = new(StringComparer.Ordinal)
    {
        "-c", "--config-path", "--config-yaml", "--mode", "--restart-epoch", "--base-id", "--base-id-path",
        "--drain-time-s", "--parent-shutdown-time-s", "--drain-strategy", "-l", "--log-level", "--component-log-level",
        "--concurrency", "--service-node", "--service-cluster", "--service-zone", "--log-path", "--log-format",
        "--admin-address-path", "--file-flush-interval-msec", "--socket-path", "--socket-mode", "--local-address-ip-version",
    };

    private static readonly HashSet<string> SwitchFlags = new(StringComparer.Ordinal)
    {
        "--use-dynamic-base-id", "--disable-hot-restart", "--hot-restart-version", "--version", "--enable-core-dump",
        "--allow-unknown-static-fields", "--reject-unknown-dynamic-fields", "--ignore-unknown-dynamic-fields",
        "--cpuset-threads", "--log-format-escaped", "--enable-fine-grain-logging", "--disable-extensions",
    };

    public string? ConfigPath { get; private set; }

    public string Mode { get; private set; } = "serve";

    public int RestartEpoch { get; private set; }

    public long BaseId { get; private set; }

    public string? BaseIdPath { get; private set; }

    public int DrainTimeSeconds { get; private set; } = 600;

    public int ParentShutdownTimeSeconds { get; private set; } = 900;

    public string LogLevel { get; private set; } = "info";

    public int? Concurrency { get; private set; }

    public bool UseDynamicBaseId { get; private set; }

    public bool PrintVersion { get; private set; }

    public bool PrintHotRestartVersion { get; private set; }

    public IReadOnlyList<string> Arguments { get; private set; } = [];

    /// <summary>Parses <paramref name="args"/>; returns null and an Envoy-style message in <paramref name="error"/> when they are wrong.</summary>
    public static FakeCommandLine? Parse(IReadOnlyList<string> args, out string error)
    {
        var result = new FakeCommandLine { Arguments = args };
        error = string.Empty;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string? value = null;
            var equals = flag.IndexOf('=', StringComparison.Ordinal);
            if (flag.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                value = flag[(equals + 1)..];
                flag = flag[..equals];
            }

            if (SwitchFlags.Contains(flag))
            {
                result.ApplySwitch(flag);
                continue;
            }

            if (!ValueFlags.Contains(flag))
            {
                error = $"PARSE ERROR: Argument: {args[i]}\n             Couldn't find match for argument";
                return null;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    error = $"PARSE ERROR: Argument: {flag}\n             Missing a value for this argument!";
                    return null;
                }

                value = args[++i];
            }

            if (!result.ApplyValue(flag, value, out error))
            {
                return null;
            }
        }

        if (result.UseDynamicBaseId && result.RestartEpoch > 0)
        {
            error = $"error: cannot use --restart-epoch={result.RestartEpoch} with --use-dynamic-base-id";
            return null;
        }

        if (result.Mode is not ("serve" or "validate" or "init_only"))
        {
            error = $"error: unknown mode '{result.Mode}'";
            return null;
        }

        return result;
    }

    private void ApplySwitch(string flag)
    {
        switch (flag)
        {
            case "--use-dynamic-base-id":
                UseDynamicBaseId = true;
                break;
            case "--version":
                PrintVersion = true;
                break;
            case "--hot-restart-version":
                PrintHotRestartVersion = true;
                break;
        }
    }

    private bool ApplyValue(string flag, string value, out string error)
    {
        error = string.Empty;
        switch (flag)
        {
            case "-c" or "--config-path":
                ConfigPath = value;
                return true;
            case "--mode":
                Mode = value;
                return true;
            case "--restart-epoch":
                return ParseInt(flag, value, v => RestartEpoch = v, out error);
            case "--base-id":
                return ParseInt(flag, value, v => BaseId = v, out error);
            case "--base-id-path":
                BaseIdPath = value;
                return true;
            case "--drain-time-s":
                return ParseInt(flag, value, v => DrainTimeSeconds = v, out error);
            case "--parent-shutdown-time-s":
                return ParseInt(flag, value, v => ParentShutdownTimeSeconds = v, out error);
            case "-l" or "--log-level":
                LogLevel = value;
                return true;
            case "--concurrency":
                return ParseInt(flag, value, v => Concurrency = v, out error);
            default:
                return true;
        }
    }

    private static bool ParseInt(string flag, string value, Action<int> set, out string error)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0)
        {
            set(parsed);
            error = string.Empty;
            return true;
        }

        error = $"PARSE ERROR: Argument: {flag}\n             Couldn't read argument value from string '{value}'";
        return false;
    }
}
