using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MarchProxy.Alb.Hosting;

/// <summary>Reads certificates from files: a server certificate with its chain, and CA bundles.</summary>
public static class TlsCertificateFiles
{
    /// <summary>
    /// A PEM certificate file (the leaf first, then any intermediates) with a PEM key file, or a PFX file
    /// (with <paramref name="keyPath"/> null), as a context that sends the intermediates in the handshake.
    /// </summary>
    public static SslStreamCertificateContext LoadServerCertificate(string path, string? keyPath, string? password)
    {
        X509Certificate2 leaf;
        X509Certificate2Collection all;
        if (!string.IsNullOrWhiteSpace(keyPath))
        {
            leaf = string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
            all = [];
            all.ImportFromPemFile(path);
        }
        else
        {
            all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password);
            leaf = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw new IOException("the file holds no certificate with a private key");
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in all.Where(c => c.Thumbprint != leaf.Thumbprint))
        {
            intermediates.Add(certificate);
        }

        return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    /// <summary>Every certificate of a PEM bundle; throws when there is none.</summary>
    public static X509Certificate2Collection LoadCaBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle.Count > 0 ? bundle : throw new IOException("the file holds no PEM certificate");
    }
}
