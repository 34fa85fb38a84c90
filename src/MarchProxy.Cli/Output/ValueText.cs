using System.Collections;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MarchProxy.Cli.Output;

/// <summary>One field's value as short text, for diffs and generic response printing.</summary>
public static class ValueText
{
    public static string Format(FieldDescriptor field, object? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        if (field.IsMap && value is IDictionary map)
        {
            var entries = new List<string>();
            foreach (DictionaryEntry entry in map)
            {
                entries.Add($"{Scalar(entry.Key)}: {Element(field.MessageType.FindFieldByNumber(2), entry.Value)}");
            }

            entries.Sort(StringComparer.Ordinal);
            return "{" + string.Join(", ", entries) + "}";
        }

        if (field.IsRepeated && value is IList list)
        {
            return "[" + string.Join(", ", list.Cast<object?>().Select(v => Element(field, v))) + "]";
        }

        return Element(field, value);
    }

    public static bool IsDefault(FieldDescriptor field, object? value) => value switch
    {
        null => true,
        IList list when field.IsRepeated => list.Count == 0,
        IDictionary map when field.IsMap => map.Count == 0,
        string s => s.Length == 0,
        bool b => !b,
        ByteString bytes => bytes.IsEmpty,
        IMessage => false,
        Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture) == 0,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture) == 0,
    };

    private static string Element(FieldDescriptor field, object? value) => value switch
    {
        null => "(none)",
        IMessage message => ProtoJson.FormatSetFields(message),
        Enum e when field.FieldType == FieldType.Enum => field.EnumType.FindValueByNumber(Convert.ToInt32(e, CultureInfo.InvariantCulture))?.Name ?? e.ToString(),
        _ => Scalar(value),
    };

    private static string Scalar(object? value) => value switch
    {
        null => "(none)",
        string s => JsonSerializer.Serialize(s),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
