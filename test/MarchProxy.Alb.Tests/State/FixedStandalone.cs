using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.State;

public sealed class FixedStandalone(StandaloneLoadResult result) : IStandaloneConfigSource
{
    public StandaloneLoadResult Result { get; set; } = result;

    public string? Path => "fixed.json";

    public StandaloneLoadResult Load() => Result;

    public static FixedStandalone Of(DesiredState state) => new(new StandaloneLoadResult(StandaloneLoadStatus.Loaded, state, [], "loaded"));
}
