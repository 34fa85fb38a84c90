using System.Text;
using System.Text.RegularExpressions;
using MarchProxy.Config;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>
/// Maps the model's field paths onto the standalone file's configuration paths
/// (<c>routes[api].match.prefix</c> → <c>Proxy:Routes:api:Match:Path</c>), using the file's own names:
/// destinations and backends by their keys, the YARP spellings of renamed fields.
/// </summary>
internal sealed partial class StandaloneFieldMap(IReadOnlyDictionary<string, IReadOnlyList<string>> destinationNames)
{
    private const string Root = ConfigFile.SectionName;

    private static readonly (string Model, string File)[] Renames =
    [
        ("match.prefix", "Match.Path"),
        ("match.path", "Match.ExactPath"),
        ("cluster", "ClusterId"),
        ("websocket", "WebSocket"),
        ("lb_policy", "LoadBalancingPolicy"),
        ("endpoints", "Destinations"),
        ("health_check.http_path", "HealthCheck.Path"),
        ("outlier_detection.consecutive_5xx", "OutlierDetection.Consecutive5xx"),
        ("tls.certificate_chain", "Tls.CertificateFile"),
        ("tls.private_key", "Tls.KeyFile"),
    ];

    public string Map(string modelPath, DesiredState state)
    {
        var match = ResourcePath().Match(modelPath);
        if (!match.Success)
        {
            return $"{Root}:{Pascal(modelPath)}";
        }

        var (collection, name, rest) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value.TrimStart('.'));
        var root = $"{Root}:{Pascal(collection)}:{name}";
        if (rest.Length == 0 || rest == "name")
        {
            return root;
        }

        if (collection == "clusters" && DestinationPath().Match(rest) is { Success: true } destination)
        {
            var index = int.Parse(destination.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var names = destinationNames.GetValueOrDefault(name) ?? [];
            var key = index < names.Count ? names[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var field = destination.Groups[2].Value switch { ".weight" => ":Weight", "" => string.Empty, _ => ":Address" };
            return $"{root}:Destinations:{key}{field}";
        }

        if (collection == "routes" && BackendPath().Match(rest) is { Success: true } backend)
        {
            var index = int.Parse(backend.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var backends = state.Routes.GetValueOrDefault(name)?.Backends ?? [];
            return index < backends.Length ? $"{root}:Backends:{backends[index].Cluster}" : $"{root}:Backends";
        }

        if (collection == "listeners" && rest.StartsWith("tls.", StringComparison.Ordinal))
        {
            var tls = state.Listeners.GetValueOrDefault(name)?.Tls;
            var inline = rest == "tls.certificate_chain" ? tls?.CertificateChain.Inline : tls?.PrivateKey.Inline;
            if (!string.IsNullOrEmpty(inline))
            {
                return $"{root}:Tls:{(rest == "tls.certificate_chain" ? "CertificatePem" : "KeyPem")}";
            }
        }

        foreach (var (model, file) in Renames)
        {
            if (rest == model || rest.StartsWith(model + ".", StringComparison.Ordinal))
            {
                return $"{root}:{Pascal(file + rest[model.Length..])}";
            }
        }

        return $"{root}:{Pascal(rest)}";
    }

    /// <summary>"health_check.healthy_threshold" → "HealthCheck:HealthyThreshold"; "hosts[1]" → "Hosts:1".</summary>
    private static string Pascal(string path)
    {
        var builder = new StringBuilder(path.Length);
        var upper = true;
        foreach (var c in path)
        {
            switch (c)
            {
                case '.' or '[':
                    builder.Append(':');
                    upper = true;
                    break;
                case ']':
                    break;
                case '_':
                    upper = true;
                    break;
                default:
                    builder.Append(upper ? char.ToUpperInvariant(c) : c);
                    upper = false;
                    break;
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"^(routes|clusters|listeners)\[([^\]]*)\](.*)$")]
    private static partial Regex ResourcePath();

    [GeneratedRegex(@"^endpoints\[(\d+)\](.*)$")]
    private static partial Regex DestinationPath();

    [GeneratedRegex(@"^backends\[(\d+)\]")]
    private static partial Regex BackendPath();
}
