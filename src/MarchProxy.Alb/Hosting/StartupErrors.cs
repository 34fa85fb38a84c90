using System.Text;
using MarchProxy.Alb.Configuration;
using MarchProxy.ControlPlane.Server;
using MarchProxy.ControlPlane.Translation;
using MarchProxy.Supervisor;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Turns a failed start caused by settings into one readable message. An options validation
/// failure is prefixed with its configuration section, and each failure that names a setting of
/// that section is followed by the environment variable that sets it, e.g.
/// "Envoy: AdminPort must be between 1 and 65535 (got 0). [ENVOY_ADMIN_PORT]".
/// </summary>
public static class StartupErrors
{
    private static readonly Dictionary<Type, string> Sections = new()
    {
        [typeof(AlbOptions)] = AlbOptions.SectionName,
        [typeof(EnvoyOptions)] = EnvoyOptions.SectionName,
        [typeof(TranslationOptions)] = TranslationOptions.SectionName,
        [typeof(StreamMemoryOptions)] = StreamMemoryOptions.SectionName,
    };

    /// <summary>
    /// True for the exceptions that mean "fix your settings or files" rather than a bug: options
    /// validation (one section or several), a malformed environment variable, a shutdown budget that
    /// cannot hold the drain, an unusable persisted state or standalone config, a port in use.
    /// </summary>
    public static bool IsConfigurationError(Exception exception) => exception switch
    {
        OptionsValidationException or AlbConfigurationException or InvalidDataException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsConfigurationError),
        IOException { InnerException: AddressInUseException } => true,
        _ => false,
    };

    public static string Describe(Exception exception)
    {
        if (exception is AggregateException aggregate)
        {
            return string.Join(Environment.NewLine, aggregate.InnerExceptions.Select(Describe));
        }

        if (exception is not OptionsValidationException validation)
        {
            return $"MarchProxy ALB cannot start: {exception.Message}";
        }

        var section = Sections.GetValueOrDefault(validation.OptionsType, validation.OptionsType.Name);
        var text = new StringBuilder("MarchProxy ALB cannot start: invalid settings");
        foreach (var failure in validation.Failures)
        {
            text.Append(Environment.NewLine).Append("  ").Append(section).Append(": ").Append(failure);
            var variables = LegacyEnvironmentMap.Mappings
                .Where(m => m.Keys.Any(k => k.StartsWith(section + ":", StringComparison.Ordinal)
                    && failure.StartsWith(k[(section.Length + 1)..] + " ", StringComparison.Ordinal)))
                .Select(m => m.Variable)
                .Distinct()
                .ToList();
            if (variables.Count > 0)
            {
                text.Append(" [").Append(string.Join(", ", variables)).Append(']');
            }
        }

        return text.ToString();
    }
}
