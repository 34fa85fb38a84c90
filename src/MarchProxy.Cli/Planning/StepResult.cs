using MarchProxy.Client;

namespace MarchProxy.Cli.Planning;

/// <summary>What the API said about one change: a validate_only check or the applied mutation.</summary>
public sealed record StepResult(ResourceChange Change, bool Succeeded, string Message, long? Version, MarchProxyException? Error);
