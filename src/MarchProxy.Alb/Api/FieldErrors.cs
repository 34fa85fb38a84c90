using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Api;

/// <summary>Collects every bad field of a request, named as in the request ("route.weights[1].backend_name").</summary>
public sealed class FieldErrors
{
    private readonly List<FieldViolation> _items = [];

    public IReadOnlyList<FieldViolation> Items => _items;

    public int Count => _items.Count;

    public bool Any => _items.Count > 0;

    public void Add(string field, string description) => _items.Add(new FieldViolation(field, description));

    public void RequireName(string field, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            Add(field, "is required");
        }
        else if (!ModelRules.IsValidName(name))
        {
            Add(field, $"'{name}' {ModelRules.NameRule}");
        }
    }

    public void RequireRange(string field, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            Add(field, $"must be {min}-{max}, got {value}");
        }
    }
}
