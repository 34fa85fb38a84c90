using System.Text.Json;
using System.Text.Json.Serialization;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Reporting;

/// <summary>The machine-readable results file.</summary>
public static class JsonReport
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Write(RunResults results) => JsonSerializer.Serialize(results, Options);
}
