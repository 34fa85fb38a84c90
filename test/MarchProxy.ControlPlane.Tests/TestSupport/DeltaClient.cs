using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

/// <summary>An incremental ADS client that behaves like Envoy with DELTA_GRPC.</summary>
internal sealed class DeltaClient(AsyncDuplexStreamingCall<DeltaDiscoveryRequest, DeltaDiscoveryResponse> call, Node node) : IAsyncDisposable
{
    private bool _nodeSent;

    public Task SendAsync(DeltaDiscoveryRequest request)
    {
        if (!_nodeSent)
        {
            request.Node = node;
            _nodeSent = true;
        }

        return call.RequestStream.WriteAsync(request).DefaultTimeout();
    }

    /// <summary>Subscribes to names (none: wildcard for LDS/CDS on the first request), with the versions already held.</summary>
    public Task SubscribeAsync(string typeUrl, string[] names, IDictionary<string, string>? initialVersions = null)
    {
        var request = new DeltaDiscoveryRequest { TypeUrl = typeUrl, ResourceNamesSubscribe = { names } };
        if (initialVersions is not null)
        {
            request.InitialResourceVersions.Add(initialVersions);
        }

        return SendAsync(request);
    }

    public Task UnsubscribeAsync(string typeUrl, params string[] names) =>
        SendAsync(new DeltaDiscoveryRequest { TypeUrl = typeUrl, ResourceNamesUnsubscribe = { names } });

    public Task AckAsync(DeltaDiscoveryResponse response) =>
        SendAsync(new DeltaDiscoveryRequest { TypeUrl = response.TypeUrl, ResponseNonce = response.Nonce });

    public Task NackAsync(DeltaDiscoveryResponse response, string error) => SendAsync(new DeltaDiscoveryRequest
    {
        TypeUrl = response.TypeUrl,
        ResponseNonce = response.Nonce,
        ErrorDetail = new Google.Rpc.Status { Code = (int)StatusCode.InvalidArgument, Message = error },
    });

    public async Task<DeltaDiscoveryResponse> ReadAsync()
    {
        var more = await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout();
        if (!more)
        {
            throw new InvalidOperationException("The server ended the stream.");
        }

        return call.ResponseStream.Current;
    }

    public async Task<DeltaDiscoveryResponse> ReadAndAckAsync()
    {
        var response = await ReadAsync();
        await AckAsync(response);
        return response;
    }

    public ValueTask DisposeAsync()
    {
        call.Dispose();
        return ValueTask.CompletedTask;
    }
}
