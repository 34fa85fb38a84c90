namespace MarchProxy.Cli.Planning;

/// <summary>One field that differs: its path in the API message ("health_check.interval_ms") and both values as text.</summary>
public sealed record FieldChange(string Field, string? Before, string? After);
