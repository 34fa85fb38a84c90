namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// Looks at a TLS file when a configuration is pushed, so that a path Envoy could not load is refused
/// up front. Returns null when the file is usable, else what is wrong with it.
/// </summary>
public interface ITlsFileProbe
{
    string? Check(string path, PemKind kind);
}
