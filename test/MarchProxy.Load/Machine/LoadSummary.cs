namespace MarchProxy.Load.Machine;

/// <summary>The 1-minute load average sampled during the run: the machine is shared, so the numbers carry its load.</summary>
public sealed record LoadSummary(int Samples, double Min, double Mean, double Max, double AtStart, double AtEnd);
