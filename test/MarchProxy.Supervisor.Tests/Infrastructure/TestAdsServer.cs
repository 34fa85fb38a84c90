using System.Collections.Concurrent;
using System.Net;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarchProxy.Supervisor.Tests.Infrastructure;

/// <summary>
/// A minimal ADS server (SotW and delta) on 127.0.0.1, port 0, HTTP/2 only, serving fixed resources and
/// recording every ACK and NACK. It is also the host's <see cref="IEnvoyConfigAcceptance"/> for the
/// supervisor under test: accepted once CDS and LDS were ACKed, rejected since a NACK's time.
/// </summary>
public sealed class TestAdsServer : IAsyncDisposable, IEnvoyConfigAcceptance
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<AdsEvent> _events = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestAdsServer(WebApplication app, TestAdsResources resources)
    {
        _app = app;
        Resources = resources;
    }

    public TestAdsResources Resources { get; }

    public int Port { get; private set; }

    public IReadOnlyList<AdsEvent> Events => [.. _events];

    public bool HasAcceptedInitialConfig =>
        _events.Any(e => e is { Kind: "ACK", TypeUrl: TestAdsResources.ClusterType })
        && _events.Any(e => e is { Kind: "ACK", TypeUrl: TestAdsResources.ListenerType });

    public bool HasRejectedConfigSince(DateTimeOffset since) => _events.Any(e => e.Kind == "NACK" && e.At >= since);

    public static async Task<TestAdsServer> StartAsync(TestAdsResources resources)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        TestAdsServer? server = null;
        builder.Services.AddSingleton(_ => server!);
        var app = builder.Build();
        server = new TestAdsServer(app, resources);
        app.MapGrpcService<TestAdsService>();
        await app.StartAsync().DefaultTimeout();
        server.Port = new Uri(app.Urls.Single()).Port;
        return server;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking at every ADS event.</summary>
    public async Task WaitForAsync(Func<TestAdsServer, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutSpan);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition(this))
            {
                return;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }

    internal void Record(string kind, string mode, string typeUrl, string? error)
    {
        _events.Enqueue(new AdsEvent(kind, mode, typeUrl, error, TimeProvider.System.GetUtcNow()));
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>The gRPC service; one loop per stream reads requests and writes responses (one writer).</summary>
    internal sealed class TestAdsService(TestAdsServer server) : AggregatedDiscoveryService.AggregatedDiscoveryServiceBase
    {
        public override async Task StreamAggregatedResources(
            IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context)
        {
            server.Record("STREAM", "sotw", string.Empty, null);
            var names = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var nonce = 0;
            await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            {
                var type = request.TypeUrl;
                if (request.ErrorDetail is not null)
                {
                    server.Record("NACK", "sotw", type, request.ErrorDetail.Message);
                }
                else if (request.ResponseNonce.Length > 0)
                {
                    server.Record("ACK", "sotw", type, null);
                }

                var requested = request.ResourceNames.ToArray();
                if (names.TryGetValue(type, out var known) && known.SequenceEqual(requested))
                {
                    continue;
                }

                names[type] = requested;
                var response = new DiscoveryResponse { TypeUrl = type, VersionInfo = "1", Nonce = (++nonce).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                response.Resources.AddRange(server.Resources.For(type, requested).Select(r => r.Resource));
                await responseStream.WriteAsync(response);
            }
        }

        public override async Task DeltaAggregatedResources(
            IAsyncStreamReader<DeltaDiscoveryRequest> requestStream, IServerStreamWriter<DeltaDiscoveryResponse> responseStream, ServerCallContext context)
        {
            server.Record("STREAM", "delta", string.Empty, null);
            var subscribed = new HashSet<string>(StringComparer.Ordinal);
            var nonce = 0;
            await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
            {
                var type = request.TypeUrl;
                if (request.ErrorDetail is not null)
                {
                    server.Record("NACK", "delta", type, request.ErrorDetail.Message);
                }
                else if (request.ResponseNonce.Length > 0)
                {
                    server.Record("ACK", "delta", type, null);
                }

                var first = subscribed.Add(type);
                if (!first && request.ResourceNamesSubscribe.Count == 0)
                {
                    continue;
                }

                var response = new DeltaDiscoveryResponse { TypeUrl = type, SystemVersionInfo = "1", Nonce = (++nonce).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                foreach (var (name, resource) in server.Resources.For(type, [.. request.ResourceNamesSubscribe]))
                {
                    response.Resources.Add(new Resource { Name = name, Version = "1", Resource_ = resource });
                }

                await responseStream.WriteAsync(response);
            }
        }
    }
}

/// <summary>One thing the ADS server saw: STREAM (opened), ACK or NACK.</summary>
public sealed record AdsEvent(string Kind, string Mode, string TypeUrl, string? Error, DateTimeOffset At);
