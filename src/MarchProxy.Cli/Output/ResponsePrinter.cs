using Google.Protobuf;
using MarchProxy.Api.V1;
using Spectre.Console;

namespace MarchProxy.Cli.Output;

/// <summary>
/// Prints a mutation's answer for a person: a check mark and the message, then every other field the
/// response carries and that is set, found through the message descriptor, so a field the API adds
/// later shows up without a change here.
/// </summary>
public static class ResponsePrinter
{
    private static readonly HashSet<string> Headline = new(StringComparer.Ordinal) { "success", "message" };

    public static void Print(IAnsiConsole console, IMessage response)
    {
        var fields = response.Descriptor.Fields.InFieldNumberOrder();
        var success = fields.FirstOrDefault(f => f.Name == "success")?.Accessor.GetValue(response) as bool?;
        var message = fields.FirstOrDefault(f => f.Name == "message")?.Accessor.GetValue(response) as string;
        var mark = success == false ? "[red]✗[/]" : "[green]✓[/]";
        console.MarkupLine($"{mark} {Markup.Escape(string.IsNullOrEmpty(message) ? response.Descriptor.Name : message)}");

        foreach (var field in fields.Where(f => !Headline.Contains(f.Name)))
        {
            var value = field.Accessor.GetValue(response);
            if (ValueText.IsDefault(field, value))
            {
                continue;
            }

            var text = value is AckStatus ack ? Describe(ack) : ValueText.Format(field, value);
            console.MarkupLine($"  [grey]{Markup.Escape(field.Name)}:[/] {Markup.Escape(text)}");
        }
    }

    public static string Describe(AckStatus ack)
    {
        var text = $"{ack.AckedNodes} node(s) ACKed, {ack.PendingNodes} pending";
        return ack.Nacks.Count == 0 ? text : $"{text}; NACKs: {string.Join("; ", ack.Nacks)}";
    }
}
