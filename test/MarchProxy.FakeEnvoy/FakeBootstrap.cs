using Envoy.Config.Bootstrap.V3;
using Envoy.Config.Core.V3;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// What the fake needs from the bootstrap, read with Google.Protobuf's JSON parser into the typed
/// Bootstrap message (unknown fields are an error, as in Envoy): admin address, the ADS target
/// (the static cluster that ads_config names), SotW or delta, the node, the initial fetch timeout.
/// </summary>
internal sealed class FakeBootstrap
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(TypeRegistry.FromMessages(Envoy.Extensions.Upstreams.Http.V3.HttpProtocolOptions.Descriptor)));

    private FakeBootstrap(Bootstrap message, string adminAddress, int adminPort, string adsHost, int adsPort, bool delta, TimeSpan? initialFetchTimeout)
    {
        Message = message;
        AdminAddress = adminAddress;
        AdminPort = adminPort;
        AdsHost = adsHost;
        AdsPort = adsPort;
        IsDelta = delta;
        InitialFetchTimeout = initialFetchTimeout;
    }

    public Bootstrap Message { get; }

    public string AdminAddress { get; }

    public int AdminPort { get; }

    public string AdsHost { get; }

    public int AdsPort { get; }

    public bool IsDelta { get; }

    /// <summary>Null or zero: wait for the first CDS and LDS forever.</summary>
    public TimeSpan? InitialFetchTimeout { get; }

    public Node Node => Message.Node ?? new Node();

    /// <summary>Loads and checks the bootstrap; null with the reason in <paramref name="error"/> when it is not usable.</summary>
    public static FakeBootstrap? Load(string? path, out string error)
    {
        error = string.Empty;
        if (string.IsNullOrEmpty(path))
        {
            error = "At least one of --config-path or --config-yaml or Options::configProto() should be non-empty";
            return null;
        }

        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            error = $"the fake Envoy reads JSON bootstraps only: '{path}'";
            return null;
        }

        Bootstrap message;
        try
        {
            message = Parser.Parse<Bootstrap>(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or InvalidProtocolBufferException or InvalidJsonException or UnauthorizedAccessException)
        {
            error = $"Unable to parse JSON as proto ({ex.Message}): {path}";
            return null;
        }

        return Check(message, out error);
    }

    private static FakeBootstrap? Check(Bootstrap message, out string error)
    {
        error = string.Empty;
        var admin = message.Admin?.Address?.SocketAddress;
        if (admin is null || admin.PortValue == 0)
        {
            error = "the fake Envoy needs admin.address.socket_address with a port_value";
            return null;
        }

        var ads = message.DynamicResources?.AdsConfig;
        if (ads is null || ads.GrpcServices.Count == 0 || ads.GrpcServices[0].EnvoyGrpc is null)
        {
            error = "dynamic_resources.ads_config with grpc_services[0].envoy_grpc is required";
            return null;
        }

        if (ads.ApiType is not (ApiConfigSource.Types.ApiType.Grpc or ApiConfigSource.Types.ApiType.DeltaGrpc))
        {
            error = $"ads_config.api_type {ads.ApiType} is not supported (GRPC or DELTA_GRPC)";
            return null;
        }

        if (ads.TransportApiVersion != ApiVersion.V3)
        {
            error = "ads_config.transport_api_version must be V3";
            return null;
        }

        foreach (var (name, source) in new[] { ("cds_config", message.DynamicResources!.CdsConfig), ("lds_config", message.DynamicResources.LdsConfig) })
        {
            if (source?.Ads is null || source.ResourceApiVersion != ApiVersion.V3)
            {
                error = $"dynamic_resources.{name} must be {{ads: {{}}, resource_api_version: V3}}";
                return null;
            }
        }

        var clusterName = ads.GrpcServices[0].EnvoyGrpc.ClusterName;
        var cluster = message.StaticResources?.Clusters.FirstOrDefault(c => c.Name == clusterName);
        var endpoint = cluster?.LoadAssignment?.Endpoints.SelectMany(e => e.LbEndpoints).FirstOrDefault()?.Endpoint?.Address?.SocketAddress;
        if (endpoint is null)
        {
            error = $"static cluster '{clusterName}' named by ads_config, with an endpoint, is required";
            return null;
        }

        if (!cluster!.TypedExtensionProtocolOptions.ContainsKey("envoy.extensions.upstreams.http.v3.HttpProtocolOptions"))
        {
            error = $"cluster '{clusterName}' needs HTTP/2 through typed_extension_protocol_options for gRPC";
            return null;
        }

        var timeout = message.DynamicResources.CdsConfig.InitialFetchTimeout?.ToTimeSpan();
        return new FakeBootstrap(
            message,
            admin.Address,
            (int)admin.PortValue,
            endpoint.Address,
            (int)endpoint.PortValue,
            ads.ApiType == ApiConfigSource.Types.ApiType.DeltaGrpc,
            timeout);
    }
}
