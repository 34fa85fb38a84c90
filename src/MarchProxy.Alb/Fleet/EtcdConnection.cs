using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// One gRPC channel to the etcd cluster (every endpoint, the first that answers; another when it
/// fails), the KV, Watch and Lease clients over it, etcd's auth token when a user is set, and the
/// per-request deadline.
/// </summary>
public sealed class EtcdConnection : IDisposable
{
    private readonly EtcdOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly GrpcChannel _channel;
    private readonly ServiceProvider? _resolverServices;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private string? _token;

    public EtcdConnection(IOptions<EtcdOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        Keys = new EtcdKeys(_options.NormalizedPrefix());
        var endpoints = _options.EndpointUris();
        var tls = endpoints.Any(e => e.Scheme == Uri.UriSchemeHttps);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            ConnectTimeout = _options.RequestTimeout,
        };
        if (tls)
        {
            handler.SslOptions = TlsOptions(endpoints.Count > 1);
        }

        var channelOptions = new GrpcChannelOptions
        {
            HttpHandler = handler,
            Credentials = tls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            // Back within a couple of seconds of etcd's return (gRPC's default backoff grows to two minutes).
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
        };
        if (endpoints.Count == 1)
        {
            _channel = GrpcChannel.ForAddress(endpoints[0], channelOptions);
        }
        else
        {
            // Every endpoint behind one channel: pick_first connects to the first that answers and moves
            // to the next when it fails; any member serves reads and forwards writes to the leader.
            var addresses = endpoints.Select(e => new BalancerAddress(e.Host, e.Port)).ToArray();
            _resolverServices = new ServiceCollection()
                .AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses))
                .BuildServiceProvider();
            channelOptions.ServiceProvider = _resolverServices;
            channelOptions.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new PickFirstConfig() } };
            _channel = GrpcChannel.ForAddress("static:///etcd", channelOptions);
        }

        Kv = new KV.KVClient(_channel);
        Watch = new Watch.WatchClient(_channel);
        Lease = new Lease.LeaseClient(_channel);
        Auth = new Auth.AuthClient(_channel);
    }

    public EtcdKeys Keys { get; }

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    public Lease.LeaseClient Lease { get; }

    public Auth.AuthClient Auth { get; }

    public string Endpoints => _options.Endpoints;

    /// <summary>Options for a unary request: the auth token and the request deadline.</summary>
    public async Task<CallOptions> UnaryAsync(CancellationToken cancellationToken) =>
        new(await HeadersAsync(cancellationToken), _timeProvider.GetUtcNow().UtcDateTime + _options.RequestTimeout, cancellationToken);

    /// <summary>Options for a long-lived stream (watch, lease keep-alive): the auth token, no deadline.</summary>
    public async Task<CallOptions> StreamAsync(CancellationToken cancellationToken) =>
        new(await HeadersAsync(cancellationToken), cancellationToken: cancellationToken);

    /// <summary>
    /// Notes a failed request: after etcd refused the auth token (simple tokens expire), the next
    /// request authenticates again.
    /// </summary>
    public void Failed(RpcException ex)
    {
        if (ex.StatusCode == StatusCode.Unauthenticated)
        {
            Volatile.Write(ref _token, null);
        }
    }

    public void Dispose()
    {
        _channel.Dispose();
        _resolverServices?.Dispose();
        _tokenGate.Dispose();
    }

    private async Task<Metadata?> HeadersAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.Username))
        {
            return null;
        }

        var token = Volatile.Read(ref _token);
        if (token is null)
        {
            await _tokenGate.WaitAsync(cancellationToken);
            try
            {
                token = _token;
                if (token is null)
                {
                    var reply = await Auth.AuthenticateAsync(
                        new AuthenticateRequest { Name = _options.Username, Password = _options.Password ?? string.Empty },
                        deadline: _timeProvider.GetUtcNow().UtcDateTime + _options.RequestTimeout,
                        cancellationToken: cancellationToken);
                    token = reply.Token;
                    Volatile.Write(ref _token, token);
                }
            }
            finally
            {
                _tokenGate.Release();
            }
        }

        return new Metadata { { "token", token } };
    }

    private SslClientAuthenticationOptions TlsOptions(bool manyEndpoints)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (!string.IsNullOrEmpty(_options.CertFile) && !string.IsNullOrEmpty(_options.KeyFile))
        {
            var certificate = X509Certificate2.CreateFromPemFile(_options.CertFile, _options.KeyFile);
            ssl.ClientCertificates = [X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null)];
        }

        if (!string.IsNullOrEmpty(_options.CaFile))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(_options.CaFile);
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                // With many endpoints behind one channel the TLS host is not the endpoint's, so the
                // name is not checked there; the chain must still lead to ETCD_CA_FILE.
                if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 && !manyEndpoints)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }

        return ssl;
    }
}
