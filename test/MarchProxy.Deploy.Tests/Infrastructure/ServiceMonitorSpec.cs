using System.Text.Json.Serialization;
using k8s.Models;

namespace MarchProxy.Deploy.Tests.Infrastructure;

public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("selector")]
    public V1LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("endpoints")]
    public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}
