namespace MarchProxy.Config;

/// <summary>A problem in the file: <see cref="Field"/> is relative to the resource it was found in ("Destinations:a1:Address").</summary>
public sealed record FileFieldError(string Field, string Message);
