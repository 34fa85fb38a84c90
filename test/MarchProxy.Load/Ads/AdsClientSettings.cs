namespace MarchProxy.Load.Ads;

/// <summary>How the load clients connect and retry. The backoff is jittered exponential, as Envoy's.</summary>
public sealed record AdsClientSettings(
    Uri Address,
    XdsProtocol Protocol,
    string NodePrefix,
    string ProbeBlue,
    string ProbeGreen,
    TimeSpan BackoffBase,
    TimeSpan BackoffMax);
