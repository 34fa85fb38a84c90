namespace MarchProxy.Supervisor.Envoy;

/// <summary>A command line for the logs: joined with spaces only when a log line is written.</summary>
internal readonly record struct CommandLineText(IReadOnlyList<string> Arguments)
{
    public override string ToString() => string.Join(' ', Arguments);
}
