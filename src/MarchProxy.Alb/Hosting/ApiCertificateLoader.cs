using System.Security.Cryptography.X509Certificates;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Loads the API's TLS certificate from Kestrel's certificate settings,
/// <c>Kestrel:Certificates:Default</c>: <c>Path</c> (PEM or PFX), <c>KeyPath</c> (PEM key, optional)
/// and <c>Password</c> (for a PFX or an encrypted key).
/// </summary>
public sealed class ApiCertificateLoader(IConfiguration configuration)
{
    public const string SectionName = "Kestrel:Certificates:Default";

    public X509Certificate2 Load()
    {
        var section = configuration.GetSection(SectionName);
        var path = section["Path"];
        var keyPath = section["KeyPath"];
        var password = section["Password"];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new AlbConfigurationException($"Alb:ApiTls is true but {SectionName}:Path is not set.");
        }

        try
        {
            if (!string.IsNullOrWhiteSpace(keyPath))
            {
                return string.IsNullOrEmpty(password)
                    ? X509Certificate2.CreateFromPemFile(path, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new AlbConfigurationException($"{SectionName}:Path '{path}' could not be loaded: {ex.Message}", ex);
        }
    }
}
