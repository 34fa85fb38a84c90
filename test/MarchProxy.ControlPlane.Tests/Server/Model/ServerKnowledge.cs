namespace MarchProxy.ControlPlane.Tests.Server.Model;

/// <summary>
/// What the server had heard from the client when it sent a response: the types asked for on this
/// stream, and which cluster names its CDS subscription covered (a request the client sent later, or
/// a stale one the server ignored, is not counted).
/// </summary>
internal sealed record ServerKnowledge(IReadOnlyCollection<string> AnnouncedTypes, Func<string, bool> SubscribesCluster);
