namespace MarchProxy.ControlPlane.Cache;

/// <summary>A resource by type URL and name: the target of a reference, or a node in a reference walk.</summary>
internal readonly record struct ResourceKey(string TypeUrl, string Name);
