using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;

namespace MarchProxy.Client.Internal;

/// <summary>Builds the gRPC channel: h2c or TLS (optionally with a private CA), plus the API key as call credentials.</summary>
internal static class ChannelFactory
{
    public static GrpcChannel Create(MarchProxyClientOptions options)
    {
        var tls = string.Equals(options.Address.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
        var channelOptions = new GrpcChannelOptions
        {
            HttpHandler = options.HttpHandler ?? CreateHandler(options, tls),
            DisposeHttpClient = true,
        };

        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            var header = $"Bearer {options.ApiKey}";
            var credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", header);
                return Task.CompletedTask;
            });
            channelOptions.Credentials = ChannelCredentials.Create(tls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, credentials);

            // An API key over h2c is the operator's choice (e.g. on loopback); gRPC refuses it unless told.
            channelOptions.UnsafeUseInsecureChannelCallCredentials = !tls;
        }

        return GrpcChannel.ForAddress(options.Address, channelOptions);
    }

    private static SocketsHttpHandler CreateHandler(MarchProxyClientOptions options, bool tls)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,

            // Keeps a long WatchEvents stream alive through idle middleboxes and notices a dead peer.
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };

        if (tls && options.SkipCertificateVerification)
        {
            // Only when the caller turned verification off explicitly (SkipCertificateVerification).
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (tls && !string.IsNullOrEmpty(options.CaCertificateFile))
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(options.CaCertificateFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateWithAuthorities(certificate, errors, authorities);
        }

        return handler;
    }

    /// <summary>Trusts exactly the given CAs (not the system store), and still checks the host name.</summary>
    private static bool ValidateWithAuthorities(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
