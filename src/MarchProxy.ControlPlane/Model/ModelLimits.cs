namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// Every bound the model puts on its input, in one place. The API and the standalone config take them
/// from here; the README lists them.
/// </summary>
public static class ModelLimits
{
    public const int MaxNameLength = 128;

    public const int MaxRoutes = 10_000;
    public const int MaxClusters = 10_000;
    public const int MaxListeners = 100;

    /// <summary>Prefix, exact path, health-check path, cookie path.</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Long expressions are refused before they are parsed; RE2's program size is the real limit.</summary>
    public const int MaxRegexLength = 1024;

    public const int MaxHostsPerRoute = 100;
    public const int MaxHostLength = 255;
    public const int MaxHeadersPerRoute = 32;
    public const int MaxHeaderNameLength = 256;
    public const int MaxHeaderValueLength = 4096;
    public const int MaxBackendsPerRoute = 100;
    public const int MaxBackendWeight = 1000;
    public const int MaxHashPolicies = 8;
    public const int MaxRetryOnLength = 512;
    public const int MaxRetries = 10;
    public const int MaxRequestsPerSecond = 1_000_000;

    /// <summary>The longest route timeout, and the longest per-try timeout.</summary>
    public static readonly TimeSpan MaxRouteTimeout = TimeSpan.FromDays(1);

    public static readonly TimeSpan MaxCookieTtl = TimeSpan.FromDays(365);

    public const int MaxEndpointsPerCluster = 1000;
    public const int MinEndpointWeight = 1;
    public const int MaxEndpointWeight = 128;

    /// <summary>Connect timeout, health-check interval and timeout, outlier-detection intervals.</summary>
    public static readonly TimeSpan MaxClusterInterval = TimeSpan.FromHours(1);

    public const int MaxHealthThreshold = 100;
    public const int MaxConsecutive5xx = 1000;
    public const int MaxSniLength = 255;

    public const int MaxFilePathLength = 4096;

    /// <summary>Inline PEM, and a PEM file read at push time.</summary>
    public const int MaxPemBytes = 64 * 1024;
}
