using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Net.Client;
using MarchProxy.Testing.Ads;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// Connects to the ADS server named in the bootstrap (h2c) and subscribes like Envoy: CDS and LDS
/// wildcard, then EDS and RDS for the names they reference. SotW or delta as the bootstrap says.
/// Reconnects with a bounded backoff when the stream drops.
/// </summary>
internal sealed class AdsClient(FakeBootstrap bootstrap, XdsProgress progress, FakeSettings settings, FakeLog log)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress($"http://{bootstrap.AdsHost}:{bootstrap.AdsPort}");
        var client = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                log.Info("config", $"connecting to ADS at {bootstrap.AdsHost}:{bootstrap.AdsPort} ({(bootstrap.IsDelta ? "delta" : "state of the world")})");
                if (bootstrap.IsDelta)
                {
                    await new DeltaAdsSession(client, Node(), new ProgressConsumer(progress, log)).RunAsync(cancellationToken);
                }
                else
                {
                    await new SotwAdsSession(client, Node(), new ProgressConsumer(progress, log)).RunAsync(cancellationToken);
                }

                backoff = TimeSpan.FromMilliseconds(250);
                log.Warn("config", "ADS stream closed by the server; reconnecting");
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                log.Warn("config", $"ADS stream failed: {ex.Status.StatusCode} {ex.Status.Detail}; retrying in {backoff.TotalMilliseconds} ms");
            }
            catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
            {
                log.Warn("config", $"ADS stream failed: {ex.Message}; retrying in {backoff.TotalMilliseconds} ms");
            }
            finally
            {
                progress.SetConnected(false);
            }

            await Task.Delay(backoff, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private Node Node()
    {
        var node = bootstrap.Node.Clone();
        node.UserAgentName = "envoy";
        node.UserAgentVersion = settings.Version;
        return node;
    }
}
