using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// The TLS side of one endpoint (API or ADS): the server certificate and, for mutual TLS, the CA bundle
/// that client certificates must chain to. Both are re-read when their files change, so a renewed
/// certificate is served from the next handshake on, without a restart.
/// </summary>
public sealed class TlsEndpoint(
    FileWatchedValue<SslStreamCertificateContext> certificate,
    FileWatchedValue<X509Certificate2Collection>? clientCas,
    ClientCertificateMode mode)
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>The options of one handshake (HTTP/2 only: gRPC and Envoy negotiate h2 with ALPN).</summary>
    public SslServerAuthenticationOptions CreateOptions() => new()
    {
        ServerCertificateContext = certificate.Current,
        ApplicationProtocols = [SslApplicationProtocol.Http2],
        ClientCertificateRequired = mode != ClientCertificateMode.None,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = mode == ClientCertificateMode.None ? null : ValidateClient,
    };

    /// <summary>A client certificate must chain to the CA bundle (and only to it) and allow client authentication.</summary>
    public bool ValidateClient(object sender, X509Certificate? presented, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        if (presented is null)
        {
            return mode == ClientCertificateMode.Optional;
        }

        if (clientCas is null)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuthentication);
        var cas = clientCas.Current;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.ExtraStore.AddRange(cas);
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf);
    }
}
