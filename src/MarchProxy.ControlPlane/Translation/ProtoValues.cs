using Envoy.Config.Core.V3;
using Envoy.Type.V3;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>Small builders for values that recur in translated resources. Each call returns a new message.</summary>
internal static class ProtoValues
{
    /// <summary><c>{ ads: {}, resource_api_version: V3 }</c>: fetch over the same ADS stream.</summary>
    public static ConfigSource Ads() => new()
    {
        Ads = new AggregatedConfigSource(),
        ResourceApiVersion = ApiVersion.V3,
    };

    public static Address SocketAddress(string address, int port) => new()
    {
        SocketAddress = new Envoy.Config.Core.V3.SocketAddress { Address = address, PortValue = (uint)port },
    };

    public static Duration Duration(TimeSpan value) => Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(value);

    public static Duration Duration(long seconds, int nanos) => new() { Seconds = seconds, Nanos = nanos };

    /// <summary>100% by default, adjustable through Envoy's runtime under <paramref name="runtimeKey"/>.</summary>
    public static RuntimeFractionalPercent AllRequests(string runtimeKey) => new()
    {
        RuntimeKey = runtimeKey,
        DefaultValue = new FractionalPercent { Numerator = 100, Denominator = FractionalPercent.Types.DenominatorType.Hundred },
    };

    public static DataSource DataSource(Model.DataSpec data) =>
        data.FilePath is { Length: > 0 } path
            ? new DataSource { Filename = path }
            : new DataSource { InlineString = data.Inline ?? string.Empty };
}
