namespace MarchProxy.Cli;

public enum OutputFormat
{
    /// <summary>Tables and colours, for a person.</summary>
    Table = 0,

    /// <summary>JSON on stdout (the proto3 JSON mapping with proto field names); errors as JSON on stderr.</summary>
    Json = 1,
}
