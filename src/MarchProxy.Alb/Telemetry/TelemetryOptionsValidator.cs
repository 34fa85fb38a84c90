using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Telemetry;

/// <summary>Checks <see cref="TelemetryOptions"/> at start-up and reports every problem at once.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new List<string>();
        if (options.EnvoyStatsTtl < TimeSpan.FromMilliseconds(100) || options.EnvoyStatsTtl > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.EnvoyStatsTtl)} must be between 100 ms and 10 minutes (is {options.EnvoyStatsTtl}).");
        }

        if (options.EnvoyStatsTimeout <= TimeSpan.Zero || options.EnvoyStatsTimeout > options.EnvoyStatsTtl)
        {
            errors.Add($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.EnvoyStatsTimeout)} must be positive and at most {nameof(TelemetryOptions.EnvoyStatsTtl)} (is {options.EnvoyStatsTimeout}).");
        }

        if (options.MaxLabelValues is < 1 or > 10_000)
        {
            errors.Add($"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.MaxLabelValues)} must be in 1–10000 (is {options.MaxLabelValues}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
