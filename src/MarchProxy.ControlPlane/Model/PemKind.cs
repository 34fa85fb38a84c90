namespace MarchProxy.ControlPlane.Model;

public enum PemKind
{
    /// <summary>One or more certificates (a chain or a CA bundle).</summary>
    Certificate,

    PrivateKey,
}
