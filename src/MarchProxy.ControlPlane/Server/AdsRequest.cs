namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// One decoded discovery request, the state machine's input: the type, the nonce it answers, the
/// rejection it carries (a NACK), and the subscription it states. State of the world states the whole
/// subscription in <see cref="Names"/>; delta states changes in <see cref="Subscribe"/> and
/// <see cref="Unsubscribe"/>, plus, on a type's first request, what the client already holds.
/// </summary>
internal sealed class AdsRequest
{
    public required string TypeUrl { get; init; }

    public string ResponseNonce { get; init; } = string.Empty;

    /// <summary>The error_detail message of a NACK; null for anything else.</summary>
    public string? Error { get; init; }

    /// <summary>State of the world: every name the client subscribes to (none: see the legacy wildcard). Null for delta.</summary>
    public IReadOnlyList<string>? Names { get; init; }

    public IReadOnlyList<string> Subscribe { get; init; } = [];

    public IReadOnlyList<string> Unsubscribe { get; init; } = [];

    /// <summary>Delta: name → version of what the client already holds (on reconnect).</summary>
    public IReadOnlyDictionary<string, string>? InitialVersions { get; init; }
}
