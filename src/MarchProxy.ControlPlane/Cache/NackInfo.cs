namespace MarchProxy.ControlPlane.Cache;

/// <summary>
/// The last rejection by a node: the type, the config version of the response it rejected, the
/// client's error text, and when it arrived.
/// </summary>
public sealed record NackInfo(string TypeUrl, string Version, string Error, DateTimeOffset At);
