using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

/// <summary>A state-of-the-world ADS client that behaves like Envoy: node on the first request only, full names on every request.</summary>
internal sealed class SotwClient(AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> call, Node node) : IAsyncDisposable
{
    private readonly Dictionary<string, string[]> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _acceptedVersions = new(StringComparer.Ordinal);
    private bool _nodeSent;

    public Task SendAsync(DiscoveryRequest request)
    {
        if (!_nodeSent)
        {
            request.Node = node;
            _nodeSent = true;
        }

        return call.RequestStream.WriteAsync(request).DefaultTimeout();
    }

    /// <summary>The first request of a type (empty nonce); no names means wildcard for LDS/CDS.</summary>
    public Task SubscribeAsync(string typeUrl, params string[] names)
    {
        _names[typeUrl] = names;
        return SendAsync(new DiscoveryRequest { TypeUrl = typeUrl, ResourceNames = { names } });
    }

    /// <summary>ACKs <paramref name="response"/>, optionally changing the subscribed names.</summary>
    public Task AckAsync(DiscoveryResponse response, params string[]? names)
    {
        if (names is { Length: > 0 })
        {
            _names[response.TypeUrl] = names;
        }

        _acceptedVersions[response.TypeUrl] = response.VersionInfo;
        return SendAsync(new DiscoveryRequest
        {
            TypeUrl = response.TypeUrl,
            VersionInfo = response.VersionInfo,
            ResponseNonce = response.Nonce,
            ResourceNames = { _names.GetValueOrDefault(response.TypeUrl, []) },
        });
    }

    /// <summary>NACKs <paramref name="response"/>: version_info stays the last accepted one, error_detail says why.</summary>
    public Task NackAsync(DiscoveryResponse response, string error) => SendAsync(new DiscoveryRequest
    {
        TypeUrl = response.TypeUrl,
        VersionInfo = _acceptedVersions.GetValueOrDefault(response.TypeUrl, string.Empty),
        ResponseNonce = response.Nonce,
        ResourceNames = { _names.GetValueOrDefault(response.TypeUrl, []) },
        ErrorDetail = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = error },
    });

    public async Task<DiscoveryResponse> ReadAsync()
    {
        var more = await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout();
        if (!more)
        {
            throw new InvalidOperationException("The server ended the stream.");
        }

        return call.ResponseStream.Current;
    }

    public async Task<DiscoveryResponse> ReadAndAckAsync()
    {
        var response = await ReadAsync();
        await AckAsync(response);
        return response;
    }

    /// <summary>Subscribes like Envoy (CDS, EDS, LDS, RDS), ACKing each first response; returns them by type.</summary>
    public async Task<Dictionary<string, DiscoveryResponse>> SyncAsync(string[] edsNames, string[] rdsNames)
    {
        var responses = new Dictionary<string, DiscoveryResponse>(StringComparer.Ordinal);
        foreach (var (typeUrl, names) in new[]
                 {
                     (ResourceTypes.Cluster, Array.Empty<string>()),
                     (ResourceTypes.Endpoint, edsNames),
                     (ResourceTypes.Listener, Array.Empty<string>()),
                     (ResourceTypes.Route, rdsNames),
                 })
        {
            await SubscribeAsync(typeUrl, names);
            var response = await ReadAsync();
            response.TypeUrl.Should().Be(typeUrl);
            await AckAsync(response);
            responses[typeUrl] = response;
        }

        return responses;
    }

    public async Task CompleteAsync() => await call.RequestStream.CompleteAsync().DefaultTimeout();

    public ValueTask DisposeAsync()
    {
        call.Dispose();
        return ValueTask.CompletedTask;
    }
}
