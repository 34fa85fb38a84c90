using MarchProxy.Alb.Configuration;

namespace MarchProxy.Alb.Hosting;

/// <summary>
/// Reads where the API's TLS certificate is from Kestrel's certificate settings,
/// <c>Kestrel:Certificates:Default</c> (API_TLS_CERT_FILE, API_TLS_KEY_FILE): <c>Path</c> (PEM or PFX),
/// <c>KeyPath</c> (PEM key, optional) and <c>Password</c> (for a PFX or an encrypted key).
/// </summary>
public sealed class ApiCertificateLoader(IConfiguration configuration)
{
    public const string SectionName = "Kestrel:Certificates:Default";

    public (string Path, string? KeyPath, string? Password) Settings()
    {
        var section = configuration.GetSection(SectionName);
        var path = section["Path"];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new AlbConfigurationException($"Alb:ApiTls (API_TLS) is true but {SectionName}:Path (API_TLS_CERT_FILE) is not set.");
        }

        var keyPath = section["KeyPath"];
        return (path, string.IsNullOrWhiteSpace(keyPath) ? null : keyPath, section["Password"]);
    }
}
