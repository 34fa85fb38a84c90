using Google.Protobuf;

namespace MarchProxy.Cli.Output;

/// <summary>
/// The proto3 JSON mapping with the proto's own field names (snake_case, as in the .proto and the
/// README) and every field present, defaults included, so scripts can rely on the keys.
/// </summary>
public static class ProtoJson
{
    private static readonly JsonFormatter Indented = new(JsonFormatter.Settings.Default
        .WithFormatDefaultValues(true)
        .WithPreserveProtoFieldNames(true)
        .WithIndentation());

    private static readonly JsonFormatter Compact = new(JsonFormatter.Settings.Default
        .WithFormatDefaultValues(true)
        .WithPreserveProtoFieldNames(true));

    private static readonly JsonFormatter CompactSetFieldsOnly = new(JsonFormatter.Settings.Default
        .WithPreserveProtoFieldNames(true));

    public static string Format(IMessage message, bool indented = true) =>
        (indented ? Indented : Compact).Format(message);

    /// <summary>Only the fields that are set: for compact values inside human-readable text.</summary>
    public static string FormatSetFields(IMessage message) => CompactSetFieldsOnly.Format(message);
}
