namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// Settings of the translators. The translators read them once, when they are created.
/// </summary>
public sealed class TranslationOptions
{
    public const string SectionName = "Translation";

    /// <summary>The port of the listener Envoy gets when the model has none (ENVOY_LISTEN_PORT).</summary>
    public int DefaultListenerPort { get; set; } = 10000;

    /// <summary>The address of that default listener.</summary>
    public string DefaultListenerAddress { get; set; } = "0.0.0.0";

    /// <summary>The name of that default listener (also its HTTP stat prefix).</summary>
    public string DefaultListenerName { get; set; } = "default";

    /// <summary>
    /// The one RouteConfiguration every Envoy listener loads over RDS. It is always sent, even with
    /// no routes, so a listener never waits for a route configuration that does not exist.
    /// </summary>
    public string RouteConfigurationName { get; set; } = "marchproxy_routes";

    /// <summary>Log every request of Envoy's listeners to its stdout.</summary>
    public bool AccessLogToStdout { get; set; } = true;
}
