using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Api;

/// <summary>Keeps error replies small: a bounded number of violations, each field and description cut short.</summary>
public static class FieldViolations
{
    /// <summary>At most this many violations go into a reply.</summary>
    public const int MaxReported = 20;

    public const int MaxFieldLength = 200;

    public const int MaxDescriptionLength = 300;

    /// <summary>The first <see cref="MaxReported"/> violations, trimmed; <paramref name="omitted"/> counts the rest.</summary>
    public static IReadOnlyList<FieldViolation> Bound(IEnumerable<FieldViolation> violations, out int omitted)
    {
        var all = violations.ToList();
        omitted = Math.Max(0, all.Count - MaxReported);
        return [.. all.Take(MaxReported).Select(v => new FieldViolation(
            ValidationText.Truncate(v.Field, MaxFieldLength),
            ValidationText.Truncate(v.Description, MaxDescriptionLength)))];
    }

    /// <summary>"invalid request: f: d; f: d; … (and N more)" with the first few violations.</summary>
    public static string Describe(IReadOnlyList<FieldViolation> violations, int omitted, string prefix = "invalid request")
    {
        const int InMessage = 3;
        var shown = string.Join("; ", violations.Take(InMessage).Select(v => $"{v.Field}: {v.Description}"));
        var more = violations.Count - Math.Min(InMessage, violations.Count) + omitted;
        return more > 0 ? $"{prefix}: {shown} (and {more} more; see the BadRequest details)" : $"{prefix}: {shown}";
    }
}
