namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// One problem found in a desired state. <see cref="Path"/> names the field, for example
/// <c>routes[api].match.prefix</c> or <c>clusters[web].endpoints[2].port</c>, so an API can turn it
/// into an error that points at the wrong input.
/// </summary>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
