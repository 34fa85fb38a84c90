namespace MarchProxy.Load.Results;

/// <summary>Host RSS without streams, with N idle synced streams, and after they disconnected.</summary>
public sealed record IdleMemoryResult(int Streams, bool AllSynced, long RssBeforeBytes, long RssWithStreamsBytes, long RssAfterBytes, double BytesPerStream, double SettleSeconds);
