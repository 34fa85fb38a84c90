using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarchProxy.Config;

/// <summary>Reads "30s", "500ms", "1m", "00:00:30" or a number of seconds; writes the constant format.</summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (reader.TokenType == JsonTokenType.String && DurationParser.TryParse(reader.GetString(), out var value))
        {
            return value;
        }

        throw new JsonException("must be a duration such as \"30s\", \"500ms\", \"1m\", \"00:00:30\" or a number of seconds");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("c", CultureInfo.InvariantCulture));
}
