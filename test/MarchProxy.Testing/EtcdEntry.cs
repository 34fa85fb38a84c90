namespace MarchProxy.Testing;

/// <summary>One etcd key as etcd reports it: its value and its revisions (Version counts its writes since creation).</summary>
public sealed record EtcdEntry(string Key, string Value, long CreateRevision, long ModRevision, long Version);
