using Grpc.Core;
using MarchProxy.Client;
using Spectre.Console;

namespace MarchProxy.Cli;

/// <summary>Prints a failure on stderr (text or JSON) and picks its exit code.</summary>
public static class ErrorReporter
{
    public static int Report(CommandSession session, MarchProxyException error, string? context = null)
    {
        var exitCode = error.IsConnectionFailure ? ExitCodes.Unavailable : ExitCodes.FromStatus(error.StatusCode);
        var hint = Hint(session, error);
        if (session.Json)
        {
            session.Context.Error.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                error = new
                {
                    code = CodeName(error.StatusCode),
                    exit_code = exitCode,
                    message = error.Detail,
                    resource = context,
                    field_violations = error.FieldViolations.Select(v => new { field = v.Field, description = v.Description }),
                    reason = error.Reason,
                    version = error.Version,
                    change_applied = error.ChangeApplied,
                },
            }));
            return exitCode;
        }

        var prefix = context is null ? string.Empty : $"{context}: ";
        session.Err.MarkupLine($"[red]error:[/] {Markup.Escape($"{prefix}{CodeName(error.StatusCode)}: {error.Detail}")}");
        foreach (var violation in error.FieldViolations)
        {
            session.Err.MarkupLine($"  [bold]{Markup.Escape(violation.Field)}[/]: {Markup.Escape(violation.Description)}");
        }

        if (error.ChangeApplied)
        {
            var version = error.Version is { } v ? $" as version {v}" : string.Empty;
            session.Err.MarkupLine($"  [yellow]the change is applied{Markup.Escape(version)}[/]");
        }

        if (hint is not null)
        {
            session.Err.MarkupLine($"  [grey]{Markup.Escape(hint)}[/]");
        }

        return exitCode;
    }

    public static int ReportUsage(CliContext context, OutputFormat format, string message)
    {
        if (format == OutputFormat.Json)
        {
            context.Error.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { error = new { code = "USAGE", exit_code = ExitCodes.Usage, message } }));
        }
        else
        {
            context.Error.WriteLine($"error: {message}");
        }

        return ExitCodes.Usage;
    }

    /// <summary>INVALID_ARGUMENT rather than InvalidArgument: the names the API's documentation uses.</summary>
    public static string CodeName(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();

    private static string? Hint(CommandSession session, MarchProxyException error) => error.StatusCode switch
    {
        _ when error.IsCertificateFailure =>
            "the API's certificate is not trusted: pass its CA with --ca-file (or MARCHPROXY_CA_FILE)",
        _ when error.IsConnectionFailure || (error.StatusCode == StatusCode.Unavailable && error.Reason is null) =>
            $"is the ALB running and reachable at {session.ClientOptions.Address}? (--server or {GlobalOptions.ServerVariable})",
        StatusCode.Unauthenticated =>
            $"pass the ALB's CLUSTER_API_KEY with --api-key or {GlobalOptions.ApiKeyVariable}",
        _ => null,
    };
}
