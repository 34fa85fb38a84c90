namespace MarchProxy.Alb.State;

/// <summary>One bad field: its path (in the caller's vocabulary) and what is wrong with it.</summary>
public sealed record FieldViolation(string Field, string Description);
