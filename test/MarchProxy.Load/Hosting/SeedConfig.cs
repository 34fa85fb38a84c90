using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MarchProxy.Load.Hosting;

/// <summary>
/// The standalone config (README "Standalone config") a host starts from: the probe route, split
/// over two EDS clusters, and optionally filler routes and clusters shaped like the benchmark state
/// (routes spread over 100 hosts, one in ten split 90/10). The probe then lives in one of those hosts.
/// </summary>
public static class SeedConfig
{
    public const string ProbeRoute = "probe";
    public const string ProbeBlue = "probe-blue";
    public const string ProbeGreen = "probe-green";
    public const int InitialBlue = 0;
    public const int InitialGreen = 1000;
    private const int Hosts = 100;

    public static string Build(int fillerRoutes, int fillerClusters)
    {
        if (fillerRoutes > 0 && fillerClusters < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(fillerClusters), "filler routes need at least two filler clusters");
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteStartObject("Proxy");
            json.WriteStartObject("Listeners");
            json.WriteEndObject();

            json.WriteStartObject("Routes");
            json.WriteStartObject(ProbeRoute);
            json.WriteStartObject("Match");
            json.WriteString("Path", "/probe/");
            if (fillerRoutes > 0)
            {
                json.WriteStartArray("Hosts");
                json.WriteStringValue(HostName(Hosts / 2));
                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteStartObject("Backends");
            json.WriteNumber(ProbeBlue, InitialBlue);
            json.WriteNumber(ProbeGreen, InitialGreen);
            json.WriteEndObject();
            json.WriteEndObject();
            for (var i = 0; i < fillerRoutes; i++)
            {
                WriteFillerRoute(json, i, fillerClusters);
            }

            json.WriteEndObject();

            json.WriteStartObject("Clusters");
            WriteCluster(json, ProbeBlue, 1);
            WriteCluster(json, ProbeGreen, 2);
            for (var i = 0; i < fillerClusters; i++)
            {
                WriteCluster(json, ClusterName(i), 10 + i);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteFillerRoute(Utf8JsonWriter json, int i, int clusters)
    {
        json.WriteStartObject(string.Create(CultureInfo.InvariantCulture, $"r-{i:D5}"));
        json.WriteStartObject("Match");
        json.WriteString("Path", string.Create(CultureInfo.InvariantCulture, $"/r/{i:D5}/"));
        json.WriteStartArray("Hosts");
        json.WriteStringValue(HostName(i % Hosts));
        json.WriteEndArray();
        json.WriteEndObject();
        if (i % 10 == 0)
        {
            json.WriteStartObject("Backends");
            json.WriteNumber(ClusterName(i % clusters), 90);
            json.WriteNumber(ClusterName((i + 1) % clusters), 10);
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("ClusterId", ClusterName(i % clusters));
        }

        json.WriteEndObject();
    }

    private static void WriteCluster(Utf8JsonWriter json, string name, int n)
    {
        json.WriteStartObject(name);
        json.WriteStartObject("Destinations");
        for (var e = 0; e < 3; e++)
        {
            json.WriteStartObject(string.Create(CultureInfo.InvariantCulture, $"e{e}"));
            json.WriteString("Address", string.Create(CultureInfo.InvariantCulture, $"10.{(n >> 8) & 255}.{n & 255}.{e + 1}:8080"));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string HostName(int i) => string.Create(CultureInfo.InvariantCulture, $"h-{i:D3}.example.com");

    private static string ClusterName(int i) => string.Create(CultureInfo.InvariantCulture, $"c-{i:D4}");
}
