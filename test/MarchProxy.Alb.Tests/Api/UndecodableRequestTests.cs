using System.Net;
using System.Net.Http.Headers;
using MarchProxy.Alb.Api;
using MarchProxy.Alb.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>A request body that is not a protobuf message: INVALID_ARGUMENT after the API key check, one quiet log line.</summary>
public sealed class UndecodableRequestTests : AlbHostFixture
{
    private const string Key = "s3cret-key";
    private FakeLogCollector _logs = null!;
    private HttpClient _http = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Alb:ClusterApiKey"] = Key };

    protected override void ConfigureServices(IServiceCollection services)
    {
        // A collector per test: the host (and so this method) is made anew for each.
        var logs = _logs = new FakeLogCollector();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)));
    }

    [SetUp]
    public void SetUp() => _http = new HttpClient { BaseAddress = Host.Address(EndpointRole.Api) };

    [TearDown]
    public void TearDown() => _http.Dispose();

    [Test]
    public async Task UpsertRoute_GarbageBodyWithTheKey_InvalidArgumentAndOneWarningWithoutStackTrace()
    {
        var first = await SendGarbageAsync("/marchproxy.ModuleService/UpsertRoute", Key);
        var second = await SendGarbageAsync("/marchproxy.ModuleService/UpsertRoute", Key);

        first.Should().Be(("3", "the request body is not a valid UpsertRouteRequest message"));
        second.Status.Should().Be("3");
        var line = _logs.GetSnapshot().Where(r => r.Id.Id == 3007).Should().ContainSingle("the second one falls in the same interval").Subject;
        line.Level.Should().Be(LogLevel.Warning);
        line.Exception.Should().BeNull();
        line.Message.Should().Contain("UpsertRoute").And.Contain("ipv4:127.0.0.1:");
        _logs.GetSnapshot().Should().NotContain(r => r.Level >= LogLevel.Error);
    }

    [Test]
    public async Task UpsertRoute_GarbageBodyWithoutTheKey_UnauthenticatedAndNotDecoded()
    {
        var reply = await SendGarbageAsync("/marchproxy.ModuleService/UpsertRoute", apiKey: null);

        reply.Status.Should().Be("16");
        _logs.GetSnapshot().Should().NotContain(r => r.Id.Id == 3007);
        _logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 3003);
    }

    [Test]
    public void Report_RepeatedWithinTheInterval_OneLineThenTheSuppressedCount()
    {
        var time = new FakeTimeProvider();
        var collector = new FakeLogCollector();
        var reports = new UndecodableRequests(time, new FakeLogger<UndecodableRequests>(collector));

        reports.Report("/m", "ipv4:10.0.0.1:1", "T");
        reports.Report("/m", "ipv4:10.0.0.1:1", "T");
        reports.Report("/m", "ipv4:10.0.0.1:1", "T");
        time.Advance(UndecodableRequests.Interval - TimeSpan.FromMilliseconds(1));
        reports.Report("/m", "ipv4:10.0.0.1:1", "T");
        collector.Count.Should().Be(1);

        time.Advance(TimeSpan.FromMilliseconds(1));
        reports.Report("/m", "ipv4:10.0.0.1:1", "T");

        collector.Count.Should().Be(2);
        collector.LatestRecord.StructuredState!.Should().Contain(new KeyValuePair<string, string?>("Suppressed", "3"));
    }

    /// <summary>A hand-built gRPC frame (uncompressed, 4-byte length) holding bytes that are no protobuf message.</summary>
    private async Task<(string? Status, string? Message)> SendGarbageAsync(string path, string? apiKey)
    {
        var junk = "garbage!"u8.ToArray();
        var frame = new byte[5 + junk.Length];
        frame[4] = (byte)junk.Length;
        junk.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", $"Bearer {apiKey}");
        }

        using var response = await _http.SendAsync(request).DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var t) ? t.Single()
            : response.Headers.TryGetValues(name, out var h) ? h.Single() : null;
        return (Header("grpc-status"), Header("grpc-message") is { } m ? Uri.UnescapeDataString(m) : null);
    }
}
