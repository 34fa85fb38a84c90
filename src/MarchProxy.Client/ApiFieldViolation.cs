namespace MarchProxy.Client;

/// <summary>One bad field of a refused request, named by its request path (e.g. "route.weights[1].backend_name").</summary>
public sealed record ApiFieldViolation(string Field, string Description);
