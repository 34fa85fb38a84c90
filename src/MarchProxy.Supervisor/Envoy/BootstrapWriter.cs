using System.Text;
using Envoy.Config.Bootstrap.V3;
using Envoy.Extensions.Upstreams.Http.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Writes the bootstrap as JSON (Google.Protobuf's <see cref="JsonFormatter"/>, proto field names) to
/// DataDir/envoy-bootstrap.json, atomically: a temp file, then a rename.
/// </summary>
internal static class BootstrapWriter
{
    public const string FileName = "envoy-bootstrap.json";

    /// <summary>Every message that appears inside an Any in the bootstrap.</summary>
    public static TypeRegistry TypeRegistry { get; } = TypeRegistry.FromMessages(HttpProtocolOptions.Descriptor, global::Envoy.Extensions.TransportSockets.Tls.V3.UpstreamTlsContext.Descriptor);

    private static readonly JsonFormatter Formatter = new(
        JsonFormatter.Settings.Default.WithTypeRegistry(TypeRegistry).WithPreserveProtoFieldNames(true).WithIndentation());

    public static string PathIn(string dataDir) => Path.Combine(Path.GetFullPath(dataDir), FileName);

    public static string Format(Bootstrap bootstrap) => Formatter.Format(bootstrap);

    /// <summary>Builds the bootstrap from <paramref name="options"/> and writes it; returns the full path.</summary>
    /// <exception cref="IOException">The data directory is not writable.</exception>
    public static string Write(EnvoyOptions options)
    {
        var path = PathIn(options.DataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, Format(BootstrapBuilder.Build(options)) + "\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temp, path, overwrite: true);
        return path;
    }
}
