using Google.Protobuf;

namespace MarchProxy.Cli.Planning;

/// <summary>What applying the file does to one route or cluster.</summary>
public sealed record ResourceChange(
    string Kind,
    string Name,
    ChangeAction Action,
    IMessage? Desired,
    IReadOnlyList<FieldChange> Fields,
    string? Source);
