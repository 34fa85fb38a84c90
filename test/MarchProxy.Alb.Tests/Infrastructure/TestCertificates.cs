using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MarchProxy.Alb.Tests.Infrastructure;

/// <summary>A CA, a server certificate for 127.0.0.1, a client certificate it signed, and one a foreign CA signed, as PEM files.</summary>
public sealed class TestCertificates : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public TestCertificates(TempDirectory dir)
    {
        Directory = dir;
        Ca = CreateCa("CN=alb-test-ca");
        var foreignCa = CreateCa("CN=foreign-ca");
        Server = Issue(Ca, "CN=alb-server", serverAuth: true);
        Client = Issue(Ca, "CN=envoy-1", serverAuth: false);
        ForeignClient = Issue(foreignCa, "CN=intruder", serverAuth: false);
        File.WriteAllText(CaFile, Ca.ExportCertificatePem());
        WriteServer(Server);
    }

    public TempDirectory Directory { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public X509Certificate2 ForeignClient { get; }

    public string CaFile => Directory.Combine("ca.pem");

    public string ServerCertFile => Directory.Combine("server.pem");

    public string ServerKeyFile => Directory.Combine("server-key.pem");

    /// <summary>A new server certificate from the same CA (a renewal).</summary>
    public X509Certificate2 IssueServer(string subject) => Issue(Ca, subject, serverAuth: true);

    /// <summary>Replaces the server certificate files, as a renewal tool does: each file written whole, then renamed over the old one.</summary>
    public void WriteServer(X509Certificate2 certificate)
    {
        Replace(ServerCertFile, certificate.ExportCertificatePem());
        Replace(ServerKeyFile, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private static void Replace(string path, string text)
    {
        File.WriteAllText(path + ".new", text);
        File.Move(path + ".new", path, overwrite: true);
    }

    private X509Certificate2 CreateCa(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _owned.Add(ca);
        return ca;
    }

    private X509Certificate2 Issue(X509Certificate2 ca, string subject, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        if (serverAuth)
        {
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
        }
        else
        {
            san.AddDnsName(subject[3..] + ".internal");
        }

        request.CertificateExtensions.Add(san.Build());
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), ca.NotAfter.AddHours(-1), RandomNumberGenerator.GetBytes(16));
        var withKey = issued.CopyWithPrivateKey(key);
        _owned.Add(withKey);
        return withKey;
    }
}
