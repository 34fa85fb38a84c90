using System.Collections.Immutable;
using System.Text.Json;
using Google.Protobuf;
using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// The live members as etcd holds them (their keys live on leases, so a member that stops renewing
/// disappears), kept current by the watch. Waiters are woken at every change.
/// </summary>
public sealed class FleetView
{
    private readonly Lock _lock = new();
    private ImmutableSortedDictionary<string, FleetMember> _members = ImmutableSortedDictionary<string, FleetMember>.Empty;

    public IReadOnlyCollection<FleetMember> Members => Volatile.Read(ref _members).Values.ToList();

    /// <summary>Pulsed at every change of a member.</summary>
    public RevisionSignal Changed { get; } = new();

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static ByteString Encode(FleetMember member) => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(member, Json));

    /// <summary>Replaces every member (after a full read of the prefix).</summary>
    public void Reset(IEnumerable<(string Name, ByteString Value)> members)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, FleetMember>(StringComparer.Ordinal);
        foreach (var (name, value) in members)
        {
            if (TryDecode(value) is { } member)
            {
                builder[name] = member;
            }
        }

        lock (_lock)
        {
            Volatile.Write(ref _members, builder.ToImmutable());
        }

        Changed.Pulse();
    }

    /// <summary>A member key was written (<paramref name="value"/> set) or deleted (null).</summary>
    public void Apply(string name, ByteString? value)
    {
        lock (_lock)
        {
            var member = value is null ? null : TryDecode(value);
            Volatile.Write(ref _members, member is null ? _members.Remove(name) : _members.SetItem(name, member));
        }

        Changed.Pulse();
    }

    private static FleetMember? TryDecode(ByteString value)
    {
        try
        {
            return JsonSerializer.Deserialize<FleetMember>(value.Span, Json);
        }
        catch (JsonException)
        {
            // Not written by an ALB: not a member.
            return null;
        }
    }
}
