using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MarchProxy.Deploy.Tests.Infrastructure;

/// <summary>
/// The fields of the Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1) that the manifest
/// uses, so the strict loader refuses anything else (a typo, a field at the wrong level).
/// </summary>
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ServiceMonitorSpec Spec { get; set; } = new();
}
