
namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// Values built from named specs, kept between translations: a value is rebuilt only when its spec
/// is a different reference from the last pass, and dropped when its name is gone. Not thread-safe.
/// </summary>
internal sealed class SpecCache<TSpec, TValue>(Func<TSpec, TValue> build)
    where TSpec : class
{
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private int _generation;

    /// <summary>How many values the current pass has built.</summary>
    public int Built { get; private set; }

    public void BeginPass()
    {
        _generation++;
        Built = 0;
    }

    public TValue Get(string name, TSpec spec)
    {
        if (_slots.TryGetValue(name, out var slot) && ReferenceEquals(slot.Spec, spec))
        {
            slot.Generation = _generation;
            return slot.Value;
        }

        var value = build(spec);
        Built++;
        _slots[name] = new Slot(spec, value) { Generation = _generation };
        return value;
    }

    /// <summary>Drops the values whose names the pass did not ask for.</summary>
    public void EndPass()
    {
        List<string>? stale = null;
        foreach (var (name, slot) in _slots)
        {
            if (slot.Generation != _generation)
            {
                (stale ??= []).Add(name);
            }
        }

        foreach (var name in stale ?? [])
        {
            _slots.Remove(name);
        }
    }

    private sealed class Slot(TSpec spec, TValue value)
    {
        public TSpec Spec { get; } = spec;

        public TValue Value { get; } = value;

        public int Generation { get; set; }
    }
}
