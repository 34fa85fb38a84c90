namespace MarchProxy.Cli.Config;

/// <summary>A problem in the file, by its configuration path (Proxy:Clusters:api:Destinations:a1:Address).</summary>
public sealed record FileViolation(string Path, string Description);
