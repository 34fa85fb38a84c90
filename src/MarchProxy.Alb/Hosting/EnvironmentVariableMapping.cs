namespace MarchProxy.Alb.Hosting;

/// <summary>One environment variable of the seed and the configuration keys it sets.</summary>
public sealed record EnvironmentVariableMapping(
    string Variable,
    EnvironmentVariableKind Kind,
    IReadOnlyList<string> Keys,
    IReadOnlyList<string>? Allowed = null)
{
    /// <summary>A name for messages: "GRPC_PORT (Alb:GrpcPort)".</summary>
    public string DisplayName => $"{Variable} ({string.Join(", ", Keys)})";
}
