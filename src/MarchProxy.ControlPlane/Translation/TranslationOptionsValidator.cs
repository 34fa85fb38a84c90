using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Options;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>Checks <see cref="TranslationOptions"/> at start-up, so a bad port or name fails fast instead of being NACKed.</summary>
public sealed class TranslationOptionsValidator : IValidateOptions<TranslationOptions>
{
    public ValidateOptionsResult Validate(string? name, TranslationOptions options)
    {
        var errors = new List<ValidationError>();
        ConfigValidator.ValidatePort(nameof(options.DefaultListenerPort), options.DefaultListenerPort, errors);
        ConfigValidator.ValidateName(nameof(options.DefaultListenerName), options.DefaultListenerName, errors);
        ConfigValidator.ValidateName(nameof(options.RouteConfigurationName), options.RouteConfigurationName, errors);
        if (!HostAddress.IsIpLiteral(options.DefaultListenerAddress))
        {
            errors.Add(new ValidationError(nameof(options.DefaultListenerAddress), $"'{options.DefaultListenerAddress}' must be an IP literal"));
        }

        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"{TranslationOptions.SectionName}:{e}"));
    }
}
