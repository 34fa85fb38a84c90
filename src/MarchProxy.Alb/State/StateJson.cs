using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarchProxy.Alb.State;

/// <summary>The JSON settings of the persisted state: camelCase, enums as names, computed members skipped.</summary>
internal static class StateJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// For reading a persisted file: also refuses null where the model allows none (a null name) and a
    /// property given twice, so a damaged file is reported instead of half-read.
    /// </summary>
    public static JsonSerializerOptions ReadOptions { get; } = CreateStrict();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            IgnoreReadOnlyProperties = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(Options)
        {
            RespectNullableAnnotations = true,
            AllowDuplicateProperties = false,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
