namespace MarchProxy.ControlPlane.Tests.Server.Model;

/// <summary>
/// One model run: the client's flavour (delta or state of the world; Envoy-like or gRPC-like named
/// clusters; NACKs that apply the valid part or nothing; the legacy or the explicit wildcard) and
/// its steps. <see cref="ToString"/> prints it as code, so a failing case becomes a regular test.
/// </summary>
internal sealed record ModelScenario(bool Delta, bool NamedClusters, bool NackSingle, bool ExplicitWildcard, ModelStep[] Steps)
{
    public override string ToString() =>
        $"new ModelScenario(Delta: {Lower(Delta)}, NamedClusters: {Lower(NamedClusters)}, NackSingle: {Lower(NackSingle)}, ExplicitWildcard: {Lower(ExplicitWildcard)}, [{string.Join(", ", Steps)}])";

    private static string Lower(bool value) => value ? "true" : "false";
}
