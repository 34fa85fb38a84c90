using System.Net;
using Microsoft.Extensions.Options;

namespace MarchProxy.Supervisor;

/// <summary>Checks <see cref="EnvoyOptions"/> and reports every problem, not only the first.</summary>
public sealed class EnvoyOptionsValidator : IValidateOptions<EnvoyOptions>
{
    private static readonly string[] LogLevels = ["trace", "debug", "info", "warning", "warn", "error", "critical", "off"];

    /// <summary>Flags the supervisor sets itself; passing them again would break hot restart or the lifecycle.</summary>
    private static readonly string[] OwnedFlags =
    [
        "-c", "--config-path", "--config-yaml", "--mode", "--restart-epoch", "--base-id", "--use-dynamic-base-id",
        "--base-id-path", "--drain-time-s", "--parent-shutdown-time-s", "-l", "--log-level", "--concurrency",
        "--disable-hot-restart",
    ];

    public ValidateOptionsResult Validate(string? name, EnvoyOptions options)
    {
        var errors = new List<string>();
        CheckPort(errors, nameof(options.AdminPort), options.AdminPort);
        CheckPort(errors, nameof(options.XdsPort), options.XdsPort);
        CheckPort(errors, nameof(options.ListenPort), options.ListenPort);
        if (options.AdminPort == options.XdsPort)
        {
            errors.Add($"{nameof(options.AdminPort)} and {nameof(options.XdsPort)} must differ (both are {options.AdminPort}).");
        }

        if (!IPAddress.TryParse(options.AdminAddress, out var admin) || !IPAddress.IsLoopback(admin))
        {
            errors.Add($"{nameof(options.AdminAddress)} must be a loopback IP address (got '{options.AdminAddress}'): the admin API is never exposed.");
        }

        if (string.IsNullOrWhiteSpace(options.XdsAddress))
        {
            errors.Add($"{nameof(options.XdsAddress)} is required.");
        }

        if (!LogLevels.Contains(options.LogLevel, StringComparer.Ordinal))
        {
            errors.Add($"{nameof(options.LogLevel)} must be one of {string.Join(", ", LogLevels)} (got '{options.LogLevel}').");
        }

        if (options.Concurrency is < 1)
        {
            errors.Add($"{nameof(options.Concurrency)} must be at least 1 when set (got {options.Concurrency}).");
        }

        if (options.BaseId is < 0)
        {
            errors.Add($"{nameof(options.BaseId)} must not be negative (got {options.BaseId}).");
        }

        if (string.IsNullOrWhiteSpace(options.NodeId))
        {
            errors.Add($"{nameof(options.NodeId)} is required.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add($"{nameof(options.DataDir)} is required.");
        }

        CheckWholeSeconds(errors, nameof(options.DrainTime), options.DrainTime);
        CheckWholeSeconds(errors, nameof(options.ParentShutdownTime), options.ParentShutdownTime);
        if (options.ParentShutdownTime <= options.DrainTime)
        {
            errors.Add($"{nameof(options.ParentShutdownTime)} ({options.ParentShutdownTime}) must exceed {nameof(options.DrainTime)} ({options.DrainTime}).");
        }

        CheckPositive(errors, nameof(options.DrainTimeout), options.DrainTimeout);
        CheckPositive(errors, nameof(options.StartTimeout), options.StartTimeout);
        CheckPositive(errors, nameof(options.ReloadGracePeriod), options.ReloadGracePeriod);
        CheckPositive(errors, nameof(options.StopGracePeriod), options.StopGracePeriod);
        CheckPositive(errors, nameof(options.ReadinessPollInterval), options.ReadinessPollInterval);
        CheckPositive(errors, nameof(options.AdminRequestTimeout), options.AdminRequestTimeout);
        CheckPositive(errors, nameof(options.ValidationTimeout), options.ValidationTimeout);
        CheckPositive(errors, nameof(options.RestartBackoffInitial), options.RestartBackoffInitial);
        CheckPositive(errors, nameof(options.CrashLoopWindow), options.CrashLoopWindow);
        CheckPositive(errors, nameof(options.StableRunPeriod), options.StableRunPeriod);
        if (options.RestartBackoffMax < options.RestartBackoffInitial)
        {
            errors.Add($"{nameof(options.RestartBackoffMax)} ({options.RestartBackoffMax}) must not be below {nameof(options.RestartBackoffInitial)} ({options.RestartBackoffInitial}).");
        }

        if (options.InitialFetchTimeout < TimeSpan.Zero)
        {
            errors.Add($"{nameof(options.InitialFetchTimeout)} must not be negative.");
        }

        if (options.CrashLoopThreshold < 1)
        {
            errors.Add($"{nameof(options.CrashLoopThreshold)} must be at least 1 (got {options.CrashLoopThreshold}).");
        }

        foreach (var arg in options.ExtraArgs)
        {
            var flag = arg.Split('=', 2)[0];
            if (OwnedFlags.Contains(flag, StringComparer.Ordinal))
            {
                errors.Add($"{nameof(options.ExtraArgs)} must not contain '{flag}': the supervisor sets it.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckPort(List<string> errors, string name, int port)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{name} must be between 1 and 65535 (got {port}).");
        }
    }

    private static void CheckPositive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{name} must be positive (got {value}).");
        }
    }

    private static void CheckWholeSeconds(List<string> errors, string name, TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{name} must be at least one second: Envoy takes whole seconds (got {value}).");
        }
    }
}
