namespace MarchProxy.ControlPlane.Validation;

/// <summary>One problem Envoy (or a gRPC client) would reject, at a path inside a resource.</summary>
internal sealed record EnvoyFinding(string Path, string Message);
