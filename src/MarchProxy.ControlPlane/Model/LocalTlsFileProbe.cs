namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// Checks TLS files on this machine: the file exists, is a readable regular file of at most 1 MiB,
/// and holds the expected PEM block. Envoy supervised here reads the same files; remote Envoys should
/// be given inline PEM instead.
/// </summary>
public sealed class LocalTlsFileProbe : ITlsFileProbe
{
    public const long MaxFileBytes = 1024 * 1024;

    public static LocalTlsFileProbe Instance { get; } = new();

    public string? Check(string path, PemKind kind)
    {
        try
        {
            if (Directory.Exists(path))
            {
                return "is a directory, not a file";
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return "does not exist (or is not visible to the ALB)";
            }

            if (info.Length > MaxFileBytes)
            {
                return $"is larger than {MaxFileBytes / 1024} KiB";
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return PemRules.Check(reader.ReadToEnd(), kind);
        }
        catch (UnauthorizedAccessException)
        {
            return "cannot be read (permission denied)";
        }
        catch (IOException ex)
        {
            return $"cannot be read ({ex.GetType().Name})";
        }
    }
}
