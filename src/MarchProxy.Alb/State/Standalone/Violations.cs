namespace MarchProxy.Alb.State.Standalone;

/// <summary>Collects every problem found in a file, each under its configuration path.</summary>
internal sealed class Violations
{
    private readonly List<FieldViolation> _items = [];

    public IReadOnlyList<FieldViolation> Items => _items;

    public int Count => _items.Count;

    public void Add(string path, string description) => _items.Add(new FieldViolation(path, description));

    public void RequireName(string path, string name)
    {
        if (!ModelRules.IsValidName(name))
        {
            Add(path, $"the name '{name}' {ModelRules.NameRule}");
        }
    }

    public void RequireRange(string path, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            Add(path, $"must be {min}-{max}, got {v}");
        }
    }

    public void RequirePositive(string path, TimeSpan? value)
    {
        if (value is { } v && v <= TimeSpan.Zero)
        {
            Add(path, $"must be positive, got {v}");
        }
    }
}
