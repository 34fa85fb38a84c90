using Grpc.Core;
using MarchProxy.Alb.Configuration;
using MarchProxy.Api.V1;

namespace MarchProxy.Client.Tests;

/// <summary>The client library against the real ALB: retries, error details, the API key, events and wait_for_ack.</summary>
public sealed class MarchProxyClientTests : AlbHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Alb:ClusterApiKey"] = "s3cret" };

    [Test]
    public async Task Unary_UnavailableTwiceThenUp_IsRetriedAndSucceeds()
    {
        using var handler = new CountingHandler(failFirst: 2);
        using var client = Create(handler, maxRetryAttempts: 3);

        var status = await client.GetStatusAsync().DefaultTimeout();

        status.ModuleId.Should().Be("alb-1");
        handler.Attempts.Should().Be(3);
    }

    [Test]
    public async Task Unary_StaysUnavailable_GivesUpAfterTheRetries()
    {
        using var handler = new CountingHandler(failFirst: int.MaxValue);
        using var client = Create(handler, maxRetryAttempts: 2);

        var act = () => client.GetRoutesAsync();

        var error = (await act.Should().ThrowAsync<MarchProxyException>()).Which;
        error.StatusCode.Should().Be(StatusCode.Unavailable);
        error.IsConnectionFailure.Should().BeTrue();
        handler.Attempts.Should().Be(3);
    }

    [Test]
    public async Task Unary_RetriesOff_TriesOnce()
    {
        using var handler = new CountingHandler(failFirst: 1);
        using var client = Create(handler, maxRetryAttempts: 0);

        await FluentActions.Invoking(() => client.GetStatusAsync()).Should().ThrowAsync<MarchProxyException>();

        handler.Attempts.Should().Be(1);
    }

    [Test]
    public async Task InvalidArgument_IsNotRetriedAndCarriesEveryBadField()
    {
        using var handler = new CountingHandler(failFirst: 0);
        using var client = Create(handler, maxRetryAttempts: 3);
        var route = new RouteConfig { Name = "web", Prefix = "api", ClusterName = "missing", Enabled = true };

        var error = (await FluentActions.Invoking(() => client.UpsertRouteAsync(route)).Should().ThrowAsync<MarchProxyException>()).Which;

        error.StatusCode.Should().Be(StatusCode.InvalidArgument);
        error.FieldViolations.Select(v => v.Field).Should().BeEquivalentTo("route.prefix", "route.cluster_name");
        error.ChangeApplied.Should().BeFalse();
        handler.Attempts.Should().Be(1);
    }

    [Test]
    public async Task NotFound_CarriesReasonAndTheUnchangedVersion()
    {
        using var client = Create(new SocketsHttpHandler(), maxRetryAttempts: 0);

        var error = (await FluentActions.Invoking(() => client.DeleteRouteAsync("nope")).Should().ThrowAsync<MarchProxyException>()).Which;

        error.StatusCode.Should().Be(StatusCode.NotFound);
        error.Reason.Should().Be("NOT_FOUND");
        error.Version.Should().Be(1);
    }

    [Test]
    public async Task ApplyBatch_ClusterAndRoute_OneVersionAndARefusalNamesTheItem()
    {
        using var client = Create(new SocketsHttpHandler(), maxRetryAttempts: 0);
        var cluster = new ClusterConfig { Name = "web", Endpoints = { new Api.V1.Endpoint { Address = "10.0.0.5", Port = 8080 } } };
        var route = new RouteConfig { Name = "web", Prefix = "/", ClusterName = "web", Enabled = true };

        var applied = await client.ApplyBatchAsync([new BatchItem { UpsertCluster = new UpsertClusterRequest { Cluster = cluster } }, new BatchItem { UpsertRoute = new UpsertRouteRequest { Route = route } }], waitForAck: true).DefaultTimeout();
        var error = (await FluentActions.Invoking(() => client.ApplyBatchAsync([new BatchItem { DeleteCluster = new DeleteRequest { Name = "web" } }], validateOnly: true))
            .Should().ThrowAsync<MarchProxyException>()).Which;

        applied.Version.Should().Be(2);
        applied.Ack.Should().Be(new AckStatus());
        error.StatusCode.Should().Be(StatusCode.FailedPrecondition);
        error.Detail.Should().StartWith("items[0].delete_cluster: ");
        error.Version.Should().Be(2);
    }

    [Test]
    public async Task ApiKey_Missing_IsUnauthenticated()
    {
        using var client = new MarchProxyClient(new MarchProxyClientOptions { Address = Host.Address(EndpointRole.Api), MaxRetryAttempts = 0 });

        var error = (await FluentActions.Invoking(() => client.GetStatusAsync()).Should().ThrowAsync<MarchProxyException>()).Which;

        error.StatusCode.Should().Be(StatusCode.Unauthenticated);
    }

    [Test]
    public async Task Mutations_WaitForAckWithNoNode_ReturnVersionAndAck()
    {
        using var client = Create(new SocketsHttpHandler(), maxRetryAttempts: 0);
        var cluster = new ClusterConfig { Name = "web" };
        cluster.Endpoints.Add(new Api.V1.Endpoint { Address = "10.0.0.5", Port = 8080 });

        var upserted = await client.UpsertClusterAsync(cluster, waitForAck: true).DefaultTimeout();
        var validated = await client.UpsertClusterAsync(cluster, validateOnly: true).DefaultTimeout();
        var reloaded = await client.ReloadAsync(waitForAck: true).DefaultTimeout();

        upserted.Version.Should().Be(2);
        upserted.Ack.Should().Be(new AckStatus());
        validated.Message.Should().Contain("validate_only");
        reloaded.Success.Should().BeTrue();
        reloaded.Version.Should().BeGreaterThanOrEqualTo(2);
        reloaded.Ack.Should().NotBeNull();
    }

    [Test]
    public async Task WatchEvents_IncludeCurrentThenCancelled_YieldsTheCurrentVersionAndEndsQuietly()
    {
        using var client = Create(new SocketsHttpHandler(), maxRetryAttempts: 0);
        using var cancellation = new CancellationTokenSource();
        var seen = new List<ConfigEvent>();

        await foreach (var configEvent in client.WatchEventsAsync(includeCurrent: true, cancellation.Token).WithCancellation(CancellationToken.None))
        {
            seen.Add(configEvent);
            if (seen.Count == 2)
            {
                await cancellation.CancelAsync();
            }
        }

        seen[0].ConfigApplied.Should().Be(new ConfigApplied { Version = 1, Rpc = "current" });
        seen[1].Envoy.State.Should().Be("absent");
    }

    private MarchProxyClient Create(HttpMessageHandler handler, int maxRetryAttempts) => new(new MarchProxyClientOptions
    {
        Address = Host.Address(EndpointRole.Api),
        ApiKey = "s3cret",
        HttpHandler = handler,
        MaxRetryAttempts = maxRetryAttempts,
        RetryDelay = TimeSpan.Zero,
    });
}
