using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Fleet;

/// <summary>
/// The connection to the etcd cluster: one gRPC channel per endpoint, the current one used until it
/// fails and the next one after (any member serves reads and forwards writes to the leader); the KV,
/// Watch, Lease and Auth clients of the current endpoint, etcd's auth token when a user is set, and
/// the per-request deadline.
/// </summary>
public sealed class EtcdConnection : IDisposable
{
    private readonly EtcdOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Endpoint[] _endpoints;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private readonly bool _tls;
    private int _current;
    private string? _token;

    public EtcdConnection(IOptions<EtcdOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        Keys = new EtcdKeys(_options.NormalizedPrefix());
        var endpoints = _options.EndpointUris();
        _tls = endpoints.Any(e => e.Scheme == Uri.UriSchemeHttps);
        _endpoints = [.. endpoints.Select(Open)];
    }

    public EtcdKeys Keys { get; }

    public KV.KVClient Kv => Current.Kv;

    public Watch.WatchClient Watch => Current.Watch;

    public Lease.LeaseClient Lease => Current.Lease;

    public Auth.AuthClient Auth => Current.Auth;

    public string Endpoints => _options.Endpoints;

    /// <summary>How many endpoints are listed.</summary>
    public int EndpointCount => _endpoints.Length;

    /// <summary>Options for one request (or a short-lived stream): the auth token and the request deadline.</summary>
    public async Task<CallOptions> UnaryAsync(CancellationToken cancellationToken) =>
        new(await HeadersAsync(cancellationToken), _timeProvider.GetUtcNow().UtcDateTime + _options.RequestTimeout, cancellationToken);

    /// <summary>Options for a long-lived stream (watch, lease keep-alive): the auth token, no deadline.</summary>
    public async Task<CallOptions> StreamAsync(CancellationToken cancellationToken) =>
        new(await HeadersAsync(cancellationToken), cancellationToken: cancellationToken);

    /// <summary>
    /// Notes a failed request: after etcd refused the auth token (simple tokens expire, and every
    /// token dies when etcd's auth is switched off and on), the next request authenticates again.
    /// </summary>
    public void Failed(RpcException ex) => Failed(ex, Volatile.Read(ref _current));

    /// <summary>
    /// One unary request, sent again (up to once per endpoint, within one request deadline) when etcd
    /// refused an expired token or, for a request that is safe to repeat, when the endpoint it went to
    /// failed: the channel then connects to the next endpoint that answers.
    /// </summary>
    public async Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, bool repeatable, CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetUtcNow().UtcDateTime + _options.RequestTimeout;
        var attempts = EndpointCount + 1;
        for (var attempt = 1; ; attempt++)
        {
            var endpoint = Volatile.Read(ref _current);
            try
            {
                return await call(new CallOptions(await HeadersAsync(cancellationToken), deadline, cancellationToken));
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Failed(ex, endpoint);
                var again = EtcdErrors.IsStaleToken(ex)
                    || (ex.StatusCode != StatusCode.DeadlineExceeded && EtcdErrors.IsEndpointFailure(ex) && (repeatable || EtcdErrors.NeverSent(ex)));
                if (!again || attempt >= attempts)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>Why a request failed (see <see cref="EtcdErrors.Describe"/>).</summary>
    public string Describe(RpcException ex) => EtcdErrors.Describe(ex, _tls);

    public void Dispose()
    {
        foreach (var endpoint in _endpoints)
        {
            endpoint.Channel.Dispose();
        }

        _tokenGate.Dispose();
    }

    private Endpoint Current => _endpoints[Volatile.Read(ref _current) % _endpoints.Length];

    /// <summary>
    /// Forgets a token etcd refused (simple tokens expire, and every token dies when etcd's auth is
    /// switched off and on); moves on from an endpoint that failed, unless another request already did.
    /// </summary>
    private void Failed(RpcException ex, int endpoint)
    {
        if (ex.StatusCode == StatusCode.Unauthenticated)
        {
            Volatile.Write(ref _token, null);
        }
        else if (EtcdErrors.IsEndpointFailure(ex) && _endpoints.Length > 1)
        {
            Interlocked.CompareExchange(ref _current, (endpoint + 1) % _endpoints.Length, endpoint);
        }
    }

    private Endpoint Open(Uri address)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            ConnectTimeout = _options.RequestTimeout,
        };
        if (address.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = TlsOptions();
        }

        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            Credentials = address.Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            // Back within a couple of seconds of etcd's return (gRPC's default backoff grows to two minutes).
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
        });
        return new Endpoint(channel, new KV.KVClient(channel), new Watch.WatchClient(channel), new Lease.LeaseClient(channel), new Auth.AuthClient(channel));
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
                    token = await AuthenticateAsync(cancellationToken);
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

    private async Task<string> AuthenticateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reply = await Auth.AuthenticateAsync(
                new AuthenticateRequest { Name = _options.Username, Password = _options.Password ?? string.Empty },
                deadline: _timeProvider.GetUtcNow().UtcDateTime + _options.RequestTimeout,
                cancellationToken: cancellationToken);
            return reply.Token;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.PermissionDenied)
        {
            // etcd answers a wrong password with InvalidArgument, and auth switched off with
            // FailedPrecondition: both are settings to fix, not an outage to wait out.
            throw new RpcException(new Status(
                StatusCode.Unauthenticated,
                $"{EtcdErrors.RefusedUser} '{_options.Username}' (ETCD_USERNAME, ETCD_PASSWORD): {ex.Status.Detail}"));
        }
    }

    private SslClientAuthenticationOptions TlsOptions()
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

                // The certificate must name the endpoint and chain to ETCD_CA_FILE (not to the system's CAs).
                if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
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

    private sealed record Endpoint(GrpcChannel Channel, KV.KVClient Kv, Watch.WatchClient Watch, Lease.LeaseClient Lease, Auth.AuthClient Auth);
}
