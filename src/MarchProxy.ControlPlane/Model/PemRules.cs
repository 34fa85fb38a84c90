namespace MarchProxy.ControlPlane.Model;

/// <summary>The shape a PEM text must have: a certificate block, or a private-key block.</summary>
public static class PemRules
{
    /// <summary>Null when <paramref name="pem"/> holds the kind of block asked for, else what is wrong.</summary>
    public static string? Check(string pem, PemKind kind)
    {
        var ok = kind switch
        {
            PemKind.Certificate => pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal),
            _ => pem.Contains("-----BEGIN", StringComparison.Ordinal) && pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal),
        };
        return ok ? null : kind == PemKind.Certificate ? "holds no PEM certificate (-----BEGIN CERTIFICATE-----)" : "holds no PEM private key (-----BEGIN … PRIVATE KEY-----)";
    }
}
