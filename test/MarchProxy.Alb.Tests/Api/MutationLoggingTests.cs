using Grpc.Core;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MarchProxy.Alb.Tests.Api;

/// <summary>What the default log level shows of mutations: one line per change (who, what, version), one per refusal.</summary>
public sealed class MutationLoggingTests : AlbHostFixture
{
    private readonly FakeLogCollector _logs = new();

    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(_logs)));

    [SetUp]
    public void SetUp() => _logs.Clear();

    [Test]
    public async Task Applied_OneLineNamingTheCallerTheChangeAndTheVersion()
    {
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("blue")).ResponseAsync.DefaultTimeout();

        var record = ProductLines().Should().ContainSingle().Subject;
        record.Id.Id.Should().Be(3005);
        record.Message.Should().Contain("UpsertCluster from ipv4:127.0.0.1:").And.Contain("version 2").And.Contain("cluster 'blue' created");
    }

    [Test]
    public async Task Refused_OneLine()
    {
        var call = () => Host.Client.UpsertClusterAsync(new UpsertClusterRequest { Cluster = new ClusterConfig { Name = "empty" } }).ResponseAsync.DefaultTimeout();

        await call.Should().ThrowAsync<RpcException>();

        ProductLines().Should().ContainSingle().Which.Id.Id.Should().Be(3000);
    }

    [Test]
    public async Task Unchanged_NothingAtTheDefaultLevel()
    {
        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("blue")).ResponseAsync.DefaultTimeout();
        _logs.Clear();

        await Host.Client.UpsertClusterAsync(Requests.UpsertCluster("blue")).ResponseAsync.DefaultTimeout();

        ProductLines().Should().BeEmpty();
    }

    private List<FakeLogRecord> ProductLines() =>
        [.. _logs.GetSnapshot().Where(r => r.Level >= LogLevel.Information && r.Category?.StartsWith("MarchProxy.", StringComparison.Ordinal) == true)];
}
