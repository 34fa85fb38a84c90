namespace MarchProxy.Alb.Fleet;

/// <summary>The member key's lease is gone (expired, or its keep-alive stream ended); the member registers again.</summary>
public sealed class LeaseLostException(string message) : Exception(message);
