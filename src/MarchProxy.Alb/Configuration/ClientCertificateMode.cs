namespace MarchProxy.Alb.Configuration;

/// <summary>Whether a TLS endpoint asks its clients for a certificate (API_TLS_CLIENT_CERTIFICATE, XDS_TLS_CLIENT_CERTIFICATE).</summary>
public enum ClientCertificateMode
{
    /// <summary>No client certificate is asked for.</summary>
    None = 0,

    /// <summary>Asked for; a client without one is admitted, one with a certificate the CA bundle does not trust is refused.</summary>
    Optional = 1,

    /// <summary>Only clients with a certificate the CA bundle trusts complete the handshake.</summary>
    Required = 2,
}
