using MarchProxy.Api.V1;
using MarchProxy.Load.Ads;

namespace MarchProxy.Load.Hosting;

/// <summary>
/// SetTrafficWeight on the probe route, each call with weights no earlier call of this host used, so
/// the weights name the mutation: blue 1..1000 and green 1..1000 from a sequence number (the seed
/// config has blue 0).
/// </summary>
public sealed class WeightMutator(ModuleService.ModuleServiceClient client)
{
    /// <summary>The API client; replaced when the host restarts, while the sequence goes on.</summary>
    public ModuleService.ModuleServiceClient Client { get; set; } = client;

    private int _sequence;

    public (int Blue, int Green, string Key) Next()
    {
        var s = Interlocked.Increment(ref _sequence);
        var blue = 1 + (s % 1000);
        var green = 1 + (s / 1000 % 1000);
        return (blue, green, ResourceReader.ProbeKey((uint)blue, (uint)green));
    }

    public async Task<TrafficWeightResponse> SetAsync(int blue, int green, CancellationToken cancellationToken) =>
        await Client.SetTrafficWeightAsync(Request(blue, green), cancellationToken: cancellationToken);

    public static TrafficWeightRequest Request(int blue, int green) => new()
    {
        RouteName = SeedConfig.ProbeRoute,
        Weights =
        {
            new TrafficWeight { BackendName = SeedConfig.ProbeBlue, Weight = blue },
            new TrafficWeight { BackendName = SeedConfig.ProbeGreen, Weight = green },
        },
    };
}
