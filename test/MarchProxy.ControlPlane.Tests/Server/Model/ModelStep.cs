namespace MarchProxy.ControlPlane.Tests.Server.Model;

/// <summary>One step of a model run: <see cref="Kind"/> picks what happens, <see cref="Arg"/> how.</summary>
internal readonly record struct ModelStep(int Kind, int Arg)
{
    public override string ToString() => $"new({Kind}, {Arg})";
}
