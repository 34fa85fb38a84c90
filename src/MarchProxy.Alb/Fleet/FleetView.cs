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

    // Per member key: what it holds and the etcd revision that wrote it; a deleted key is kept as a
    // null member with the revision of its deletion, so an older reading cannot bring it back.
    private ImmutableSortedDictionary<string, (FleetMember? Member, long Revision)> _keys =
        ImmutableSortedDictionary<string, (FleetMember? Member, long Revision)>.Empty.WithComparers(StringComparer.Ordinal);

    private IReadOnlyCollection<FleetMember> _members = [];

    public IReadOnlyCollection<FleetMember> Members => Volatile.Read(ref _members);

    /// <summary>Pulsed at every change of a member.</summary>
    public RevisionSignal Changed { get; } = new();

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static ByteString Encode(FleetMember member) => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(member, Json));

    /// <summary>
    /// Takes a full read of the prefix at <paramref name="revision"/>: every member key it holds, with
    /// the revision that wrote each. A key the watch already saw at a newer revision keeps what the
    /// watch said; the read and the watch run concurrently, so either may arrive first.
    /// </summary>
    public void Reset(IEnumerable<(string Name, ByteString Value, long ModRevision)> members, long revision)
    {
        lock (_lock)
        {
            var read = members.ToDictionary(m => m.Name, m => (Member: TryDecode(m.Value), Revision: m.ModRevision), StringComparer.Ordinal);
            var builder = ImmutableSortedDictionary.CreateBuilder<string, (FleetMember? Member, long Revision)>(StringComparer.Ordinal);
            foreach (var (name, known) in _keys)
            {
                // Not in the read: deleted at or before its revision, unless the watch saw it later.
                builder[name] = known.Revision > revision || read.ContainsKey(name) ? known : (null, revision);
            }

            foreach (var (name, entry) in read)
            {
                if (!builder.TryGetValue(name, out var known) || known.Revision < entry.Revision)
                {
                    builder[name] = entry;
                }
            }

            Publish(builder.ToImmutable());
        }

        Changed.Pulse();
    }

    /// <summary>
    /// A member key was written (<paramref name="value"/> set) or deleted (null) at <paramref name="modRevision"/>;
    /// ignored when something newer about that key is already known.
    /// </summary>
    public void Apply(string name, ByteString? value, long modRevision)
    {
        lock (_lock)
        {
            if (_keys.TryGetValue(name, out var known) && known.Revision >= modRevision)
            {
                return;
            }

            Publish(_keys.SetItem(name, (value is null ? null : TryDecode(value), modRevision)));
        }

        Changed.Pulse();
    }

    private void Publish(ImmutableSortedDictionary<string, (FleetMember? Member, long Revision)> keys)
    {
        _keys = keys;
        Volatile.Write(ref _members, keys.Values.Where(k => k.Member is not null).Select(k => k.Member!).ToList());
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
