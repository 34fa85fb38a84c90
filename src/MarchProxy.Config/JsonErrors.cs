using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MarchProxy.Config;

/// <summary>
/// Turns a <see cref="JsonException"/> into words for the person who wrote the file: the line and
/// column counted from 1 (System.Text.Json counts from 0), and no .NET type names ("expected a whole
/// number", "unknown setting 'Rotes'", "expected one of RoundRobin, LeastRequest").
/// </summary>
public static partial class JsonErrors
{
    public static string Describe(JsonException exception)
    {
        var message = exception.Message;
        string what;
        if (UnknownMember().Match(message) is { Success: true } unknown)
        {
            what = $"unknown setting '{unknown.Groups["name"].Value}'";
        }
        else if (MissingRequired().Match(message) is { Success: true } missing)
        {
            what = $"missing required {missing.Groups["names"].Value.TrimEnd('.')}";
        }
        else if (message.Contains("Duplicate propert", StringComparison.OrdinalIgnoreCase))
        {
            what = "given more than once";
        }
        else if (NullNotAllowed().Match(message) is { Success: true } isNull)
        {
            what = $"'{isNull.Groups["name"].Value}' must not be null";
        }
        else if (ConversionFailed().Match(message) is { Success: true } conversion)
        {
            what = "expected " + Expected(conversion.Groups["type"].Value);
        }
        else
        {
            what = TypeName().Replace(Location().Replace(message, string.Empty), string.Empty).Trim();
        }

        return exception.LineNumber is { } line
            ? $"line {(line + 1).ToString(CultureInfo.InvariantCulture)}, column {((exception.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture)}: {what}"
            : what;
    }

    private static string Expected(string typeName)
    {
        var name = typeName.Trim();
        var nullable = NullableOf().Match(name);
        if (nullable.Success)
        {
            name = nullable.Groups["inner"].Value;
        }

        // The type being read is loaded, whichever assembly declares it (the file's records, the model).
        var type = Type.GetType(name) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null);
        if (type is { IsEnum: true })
        {
            return "one of " + string.Join(", ", Enum.GetNames(type));
        }

        return name switch
        {
            "System.Int32" or "System.Int64" or "System.UInt32" or "System.UInt64" or "System.Int16" or "System.UInt16" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            "System.String" => "a string",
            "System.TimeSpan" => "a duration such as \"5s\" or \"250ms\"",
            _ when name.Contains("Dictionary", StringComparison.Ordinal) => "an object",
            _ when name.Contains("List", StringComparison.Ordinal) || name.Contains("Array", StringComparison.Ordinal) || name.EndsWith("[]", StringComparison.Ordinal) => "a list",
            _ => "an object",
        };
    }

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex UnknownMember();

    [GeneratedRegex(@"missing required properties including: (?<names>.+?)(\s*Path:|$)")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"The property or field '(?<name>[^']*)'.* doesn't allow setting null values")]
    private static partial Regex NullNotAllowed();

    [GeneratedRegex(@"could not be converted to (?<type>[^ ]+?)\.(\s|$)")]
    private static partial Regex ConversionFailed();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?(?<inner>[^,\]]+)")]
    private static partial Regex NullableOf();

    [GeneratedRegex(@"\s*Path: .*$", RegexOptions.Singleline)]
    private static partial Regex Location();

    [GeneratedRegex(@"\s*(of|in|to|for)? ?type '[^']*'")]
    private static partial Regex TypeName();
}
