using MarchProxy.Cli.Config;
using Spectre.Console;

namespace MarchProxy.Cli.Planning;

/// <summary>Shows a plan, and what the API said about each step, as text or as one JSON document.</summary>
public static class PlanPrinter
{
    public static void Print(CommandSession session, DesiredConfig desired, ChangePlan plan, IReadOnlyList<StepResult> results, string mode)
    {
        if (session.Json)
        {
            session.WriteJsonObject(Report(desired, plan, results, mode));
            return;
        }

        var console = session.Out;
        var byChange = results.ToDictionary(r => r.Change);
        foreach (var change in plan.Pending)
        {
            var (sign, colour) = change.Action switch
            {
                ChangeAction.Create => ("+", "green"),
                ChangeAction.Update => ("~", "yellow"),
                _ => ("-", "red"),
            };
            var source = change.Source is null ? string.Empty : $"  [grey]({Markup.Escape(change.Source)})[/]";
            console.MarkupLine($"[{colour}]{sign} {change.Kind} {Markup.Escape(change.Name)}[/]{source}");
            foreach (var field in change.Fields.Where(f => f.Field != "name"))
            {
                var text = field.Before is null ? field.After : $"{field.Before} → {field.After}";
                console.MarkupLine($"    [grey]{Markup.Escape(field.Field)}:[/] {Markup.Escape(text ?? string.Empty)}");
            }

            if (byChange.TryGetValue(change, out var result))
            {
                PrintResult(console, result);
            }
        }

        var summary = mode == "apply"
            ? $"{results.Count(r => r.Succeeded)} of {plan.Pending.Count()} change(s) applied, {plan.Count(ChangeAction.Unchanged)} unchanged (config version was {plan.LiveVersion})"
            : $"{plan.Count(ChangeAction.Create)} to create, {plan.Count(ChangeAction.Update)} to update, {plan.Count(ChangeAction.Delete)} to delete, {plan.Count(ChangeAction.Unchanged)} unchanged (live config version {plan.LiveVersion})";
        console.MarkupLine(plan.HasChanges ? Markup.Escape(summary) : $"[green]No changes.[/] {Markup.Escape(summary)}");
    }

    private static void PrintResult(IAnsiConsole console, StepResult result)
    {
        if (result.Succeeded)
        {
            var version = result.Version is { } v ? $" (version {v})" : string.Empty;
            console.MarkupLine($"    [green]✓[/] {Markup.Escape(result.Message + version)}");
            return;
        }

        var code = result.Error is { } e ? ErrorReporter.CodeName(e.StatusCode) + ": " : string.Empty;
        console.MarkupLine($"    [red]✗ {Markup.Escape(code + result.Message)}[/]");
        foreach (var violation in result.Error?.FieldViolations ?? [])
        {
            console.MarkupLine($"      [bold]{Markup.Escape(violation.Field)}[/]: {Markup.Escape(violation.Description)}");
        }
    }

    private static object Report(DesiredConfig desired, ChangePlan plan, IReadOnlyList<StepResult> results, string mode)
    {
        var byChange = results.ToDictionary(r => r.Change);
        return new
        {
            mode,
            live_version = plan.LiveVersion,
            changes = plan.Changes.Select(c =>
            {
                var result = byChange.GetValueOrDefault(c);
                return new
                {
                    kind = c.Kind,
                    name = c.Name,
                    action = c.Action.ToString().ToLowerInvariant(),
                    source = c.Source,
                    fields = c.Fields.Where(f => f.Field != "name").Select(f => new { field = f.Field, before = f.Before, after = f.After }),
                    result = result is null ? null : new
                    {
                        succeeded = result.Succeeded,
                        message = result.Message,
                        version = result.Version,
                        code = result.Error is { } e ? ErrorReporter.CodeName(e.StatusCode) : null,
                        field_violations = result.Error?.FieldViolations.Select(v => new { field = v.Field, description = v.Description }),
                    },
                };
            }),
            summary = new
            {
                create = plan.Count(ChangeAction.Create),
                update = plan.Count(ChangeAction.Update),
                delete = plan.Count(ChangeAction.Delete),
                unchanged = plan.Count(ChangeAction.Unchanged),
            },
            warnings = desired.Warnings,
        };
    }
}
