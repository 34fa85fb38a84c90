namespace MarchProxy.Config;

/// <summary>One destination of a cluster that parsed: its key in the file, the endpoint's host (IP addresses normalised, brackets dropped) and port.</summary>
public sealed record ParsedDestination(string Key, string Host, int Port, FileDestination Destination);
