using System.Net;
using MarchProxy.Supervisor.Envoy;

namespace MarchProxy.Supervisor.Tests.Envoy;

[TestFixture]
public sealed class EnvoyAdminClientTests
{
    [Test]
    public async Task MutatingCalls_SentAsPost()
    {
        var handler = new RecordingHandler(_ => (HttpStatusCode.OK, "OK\n"));
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9901/") };
        var client = new EnvoyAdminClient(http);

        await client.HealthcheckFailAsync();
        await client.DrainListenersAsync(graceful: true);
        await client.DrainListenersAsync(graceful: false);
        await client.QuitAsync();

        handler.Requests.Should().Equal(
            "POST /healthcheck/fail", "POST /drain_listeners?graceful", "POST /drain_listeners", "POST /quitquitquit");
    }

    [Test]
    public async Task GetReady_503WithState_NotLive()
    {
        var handler = new RecordingHandler(_ => (HttpStatusCode.ServiceUnavailable, "PRE_INITIALIZING\n"));
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9901/") };

        var ready = await new EnvoyAdminClient(http).GetReadyAsync();

        ready.Should().Be(new EnvoyReadiness(false, "PRE_INITIALIZING"));
        handler.Requests.Should().Equal("GET /ready");
    }

    [Test]
    public async Task GetStats_Filter_EscapedIntoTheQuery()
    {
        var handler = new RecordingHandler(_ => (HttpStatusCode.OK, """{"stats":[{"name":"server.total_connections","value":0}]}"""));
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9901/") };

        var stats = await new EnvoyAdminClient(http).GetStatsAsync("^server\\.total_connections$");

        stats.Get("server.total_connections").Should().Be(0);
        handler.Requests.Should().Equal("GET /stats?format=json&filter=%5Eserver%5C.total_connections%24");
    }

    [Test]
    public async Task Post_ErrorStatus_EnvoyAdminExceptionWithStatus()
    {
        var handler = new RecordingHandler(_ => (HttpStatusCode.MethodNotAllowed, "Method GET not allowed, POST required."));
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:9901/") };

        var call = () => new EnvoyAdminClient(http).QuitAsync();

        (await call.Should().ThrowAsync<EnvoyAdminException>()).Which.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Test]
    public async Task Get_NothingListening_HttpRequestException()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Infrastructure.SupervisorHarness.FreePort()}/"), Timeout = TimeSpan.FromSeconds(5) };

        var call = () => new EnvoyAdminClient(http).GetServerInfoAsync();

        await call.Should().ThrowAsync<HttpRequestException>();
    }

    private sealed class RecordingHandler(Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> respond) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
            var (status, body) = respond(request);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
        }
    }
}
