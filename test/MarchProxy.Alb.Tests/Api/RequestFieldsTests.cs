using Google.Rpc;
using Grpc.Core;
using MarchProxy.Alb.Api;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.Api;

public sealed class RequestFieldsTests
{
    [TestCase("routes[api]", "route")]
    [TestCase("routes[api].name", "route.name")]
    [TestCase("routes[api].match.regex", "route.regex")]
    [TestCase("routes[api].match.prefix", "route.prefix")]
    [TestCase("routes[api].match.hosts[2]", "route.hosts[2]")]
    [TestCase("routes[api].match.headers[1].value", "route.headers[x-b]")]
    [TestCase("routes[api].cluster", "route.cluster_name")]
    [TestCase("routes[api].backends[1].cluster", "route.weights[1].backend_name")]
    [TestCase("routes[api].backends[1].weight", "route.weights[1].weight")]
    [TestCase("routes[api].timeout", "route.timeout_seconds")]
    [TestCase("routes[api].retry.per_try_timeout", "route.retry.per_try_timeout_ms")]
    [TestCase("routes[api].rate_limit.burst", "route.rate_limit.burst_size")]
    [TestCase("routes[api].hash_policy[0].cookie_ttl", "route.hash_policy[0].cookie_ttl_seconds")]
    [TestCase("routes[other].match.regex", "routes[other].match.regex")]
    [TestCase("clusters[web].endpoints[0].port", "clusters[web].endpoints[0].port")]
    public void ForRoute_ModelPath_MapsToTheRequestField(string modelPath, string field)
    {
        var route = new RouteSpec { Name = "api", Match = new RouteMatchSpec { Headers = [new("x-a", "1"), new("x-b", "2")] } };

        RequestFields.ForRoute(route).Map(modelPath).Should().Be(field);
    }

    [TestCase("clusters[web].connect_timeout", "cluster.connect_timeout_ms")]
    [TestCase("clusters[web].health_check.interval", "cluster.health_check.interval_ms")]
    [TestCase("clusters[web].outlier_detection.base_ejection_time", "cluster.outlier_detection.base_ejection_time_ms")]
    [TestCase("clusters[web].endpoints[3].address", "cluster.endpoints[3].address")]
    [TestCase("clusters[web].tls.trusted_ca_file", "cluster.tls.trusted_ca_file")]
    [TestCase("clusters[web.v2].name", "clusters[web.v2].name")]
    public void ForCluster_ModelPath_MapsToTheRequestField(string modelPath, string field)
    {
        RequestFields.ForCluster("web").Map(modelPath).Should().Be(field);
    }

    [Test]
    public void ForWeightsAndRateLimit_ModelPaths_MapToTheirRequests()
    {
        RequestFields.ForWeights("api").Map("routes[api].backends[2].cluster").Should().Be("weights[2].backend_name");
        RequestFields.ForWeights("api").Map("routes[api].backends").Should().Be("weights");
        RequestFields.ForRateLimit("api").Map("routes[api].rate_limit.burst").Should().Be("config.burst_size");
        RequestFields.ForRateLimit("api").Map("routes[api].rate_limit.requests_per_second").Should().Be("config.requests_per_second");
    }

    [Test]
    public void FromApplyResult_StoreRefusalWithModelPaths_NamesTheRequestFields()
    {
        // As the store answers when Envoy's rules (the state validator's dry run) refuse a change.
        var result = new ApplyResult(
            ApplyStatus.Invalid,
            3,
            DesiredState.Empty,
            "the resulting configuration is invalid: routes[api].match.regex: Envoy would reject it",
            [new FieldViolation("routes[api].match.regex", "Envoy would reject it: …")]);

        var error = RpcErrors.FromApplyResult(result, RequestFields.ForRoute(new RouteSpec { Name = "api" }));

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Single().Field.Should().Be("route.regex");
        error.Status.Detail.Should().StartWith("the resulting configuration is invalid: route.regex: ");
    }
}
