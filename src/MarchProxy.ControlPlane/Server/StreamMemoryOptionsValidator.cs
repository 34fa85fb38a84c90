using Microsoft.Extensions.Options;

namespace MarchProxy.ControlPlane.Server;

/// <summary>Checks <see cref="StreamMemoryOptions"/> at start-up; each failure starts with the setting it names.</summary>
public sealed class StreamMemoryOptionsValidator : IValidateOptions<StreamMemoryOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamMemoryOptions options)
    {
        var errors = new List<string>();
        if (options.TrimAfterStreamChange < 0)
        {
            errors.Add($"{nameof(options.TrimAfterStreamChange)} must be 0 (off) or more (got {options.TrimAfterStreamChange}).");
        }

        if (options.QuietPeriod <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(options.QuietPeriod)} must be positive (got {options.QuietPeriod}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
