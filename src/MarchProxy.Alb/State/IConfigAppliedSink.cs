namespace MarchProxy.Alb.State;

/// <summary>
/// Told of each config version the store applied and who applied it (an API mutation's RPC, or
/// "etcd" for a version another fleet member wrote). WatchEvents implements it; the writers below
/// the API (the fleet's watch) announce through it without depending on the API.
/// </summary>
public interface IConfigAppliedSink
{
    void ConfigApplied(long version, string rpc);
}
