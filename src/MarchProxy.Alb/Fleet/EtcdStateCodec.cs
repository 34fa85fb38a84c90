using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;
using MarchProxy.Alb.State;
using MarchProxy.Config;
using MarchProxy.ControlPlane.Model;
using Mvccpb;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// Between the desired state and etcd's keys: decodes keys into a state, applies watch events to it,
/// and turns a change into the puts and deletes of exactly the keys it touches. Values are the JSON of
/// the file store (<see cref="StateJson"/>).
/// </summary>
public static class EtcdStateCodec
{
    /// <summary>Applies one key's new value (or its deletion) to a state; false when the key is not config.</summary>
    public static bool Apply(ref StoredState state, EtcdKeys keys, ByteString key, ByteString? value)
    {
        if (!keys.TryParse(key, out var kind, out var name))
        {
            return false;
        }

        var desired = state.State;
        var ownership = state.Ownership;
        switch (kind)
        {
            case EtcdKeys.Routes:
                desired = value is null ? desired.WithoutRoute(name) : desired.WithRoute(Read<RouteSpec>(key, value) with { Name = name });
                break;
            case EtcdKeys.Clusters:
                desired = value is null ? desired.WithoutCluster(name) : desired.WithCluster(Read<ClusterSpec>(key, value) with { Name = name });
                break;
            case EtcdKeys.Listeners:
                desired = value is null
                    ? desired with { Listeners = desired.Listeners.Remove(name) }
                    : desired.WithListener(Read<ListenerSpec>(key, value) with { Name = name });
                break;
            case EtcdKeys.ApiRoutes:
                ownership = ownership with { Routes = value is null ? ownership.Routes.Remove(name) : ownership.Routes.Add(name) };
                break;
            case EtcdKeys.ApiClusters:
                ownership = ownership with { Clusters = value is null ? ownership.Clusters.Remove(name) : ownership.Clusters.Add(name) };
                break;
            case EtcdKeys.Meta:
                return true;
            default:
                return false;
        }

        state = new StoredState(desired, ownership);
        return true;
    }

    /// <summary>The state held by a full read of the prefix, and its version (the newest config key's revision).</summary>
    public static StoredState Decode(IEnumerable<KeyValue> kvs, EtcdKeys keys)
    {
        var state = StoredState.Empty;
        long version = 0;
        foreach (var kv in kvs)
        {
            if (Apply(ref state, keys, kv.Key, kv.Value))
            {
                version = Math.Max(version, kv.ModRevision);
            }
        }

        return new StoredState(state.State with { Version = version }, state.Ownership);
    }

    /// <summary>The writes that turn <paramref name="current"/> into <paramref name="next"/>, and the meta key's.</summary>
    public static List<RequestOp> Diff(StoredState current, StoredState next, EtcdKeys keys, ByteString meta)
    {
        var ops = new List<RequestOp>();
        Diff(current.State.Routes, next.State.Routes, EtcdKeys.Routes, keys, ops);
        Diff(current.State.Clusters, next.State.Clusters, EtcdKeys.Clusters, keys, ops);
        Diff(current.State.Listeners, next.State.Listeners, EtcdKeys.Listeners, keys, ops);
        foreach (var name in next.Ownership.Routes.Except(current.Ownership.Routes))
        {
            ops.Add(Put(keys.Key(EtcdKeys.ApiRoutes, name), ByteString.Empty));
        }

        foreach (var name in next.Ownership.Clusters.Except(current.Ownership.Clusters))
        {
            ops.Add(Put(keys.Key(EtcdKeys.ApiClusters, name), ByteString.Empty));
        }

        ops.Add(Put(keys.MetaKey, meta));
        return ops;
    }

    /// <summary>Every key of a whole state (seeding an empty prefix).</summary>
    public static List<RequestOp> All(StoredState state, EtcdKeys keys, ByteString meta) => Diff(StoredState.Empty, state, keys, meta);

    public static RequestOp Put(ByteString key, ByteString value, long lease = 0) =>
        new() { RequestPut = new PutRequest { Key = key, Value = value, Lease = lease } };

    public static ByteString Encode<T>(T value) => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(value, StateJson.Options));

    private static void Diff<T>(
        System.Collections.Immutable.ImmutableSortedDictionary<string, T> before,
        System.Collections.Immutable.ImmutableSortedDictionary<string, T> after,
        string kind,
        EtcdKeys keys,
        List<RequestOp> ops)
        where T : class
    {
        foreach (var (name, spec) in after)
        {
            if (before.TryGetValue(name, out var old) && (ReferenceEquals(old, spec) || Encode(old).Equals(Encode(spec))))
            {
                continue;
            }

            ops.Add(Put(keys.Key(kind, name), Encode(spec)));
        }

        foreach (var name in before.Keys.Where(n => !after.ContainsKey(n)))
        {
            ops.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = keys.Key(kind, name) } });
        }
    }

    private static T Read<T>(ByteString key, ByteString value)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(value.Span, StateJson.Options)
                ?? throw new InvalidDataException($"etcd key {key.ToStringUtf8()} holds null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"etcd key {key.ToStringUtf8()} is not a valid {typeof(T).Name} ({JsonErrors.Describe(ex)})", ex);
        }
    }
}
