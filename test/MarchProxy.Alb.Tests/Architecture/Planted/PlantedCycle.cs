namespace MarchProxy.Alb.Tests.Architecture.Planted.Upper
{
    /// <summary>One half of a planted namespace cycle: uses <see cref="Lower.PlantedLower"/> only inside a method body.</summary>
    public static class PlantedUpper
    {
        public static int Count() => new Lower.PlantedLower().Items.Count;
    }
}

namespace MarchProxy.Alb.Tests.Architecture.Planted.Lower
{
    /// <summary>The other half: names <see cref="Upper.PlantedUpper"/> only in its constructor's body (a method group).</summary>
    public sealed class PlantedLower
    {
        public List<Func<int>> Items { get; } = [Upper.PlantedUpper.Count];
    }
}
