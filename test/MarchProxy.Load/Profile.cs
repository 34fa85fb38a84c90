using MarchProxy.Load.Ads;

namespace MarchProxy.Load;

/// <summary>What one run measures and how big. <see cref="ShortRun"/> runs in well under a minute; <see cref="FullRun"/> is the table.</summary>
public sealed record Profile
{
    public required string Name { get; init; }

    public XdsProtocol Protocol { get; init; } = XdsProtocol.Sotw;

    /// <summary>Fleet sizes for mutation → ACK, one after the other on one host.</summary>
    public required IReadOnlyList<int> StreamCounts { get; init; }

    /// <summary>Measured mutations at each fleet size (after two unmeasured warm-up mutations).</summary>
    public required int Mutations { get; init; }

    /// <summary>Fewer mutations for fleets of at least 1000 streams, where each one takes longer.</summary>
    public required int MutationsLarge { get; init; }

    /// <summary>At most this many clients connect (not yet synced) at once.</summary>
    public int Ramp { get; init; } = 200;

    public required int FloorSamples { get; init; }

    public required int ApiCallers { get; init; }

    public int ApiConnections { get; init; } = 4;

    public required TimeSpan ApiDuration { get; init; }

    public required int ReadCallers { get; init; }

    public required TimeSpan ReadDuration { get; init; }

    public required int MemoryStreams { get; init; }

    public required TimeSpan MemorySettle { get; init; }

    public required int StormStreams { get; init; }

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromMilliseconds(500);

    public required int WireRoutes { get; init; }

    public required int WireClusters { get; init; }

    public required int WireMutations { get; init; }

    /// <summary>Routes the bulk ApplyBatch adds; with the seed's probe route, 9,999 reach the 10,000-route limit.</summary>
    public int BatchRoutes { get; init; } = 9_999;

    /// <summary>Scenarios to run (all when empty): propagation, floor, api, read, memory, storm, wire, batch.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public static IReadOnlyList<string> ScenarioNames { get; } = ["propagation", "floor", "api", "read", "memory", "storm", "wire", "batch"];

    public int MaxStreams => Math.Max(Math.Max(StreamCounts.DefaultIfEmpty(0).Max(), MemoryStreams), Math.Max(StormStreams, 1));

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    public int MutationsAt(int streams) => streams >= 1000 ? MutationsLarge : Mutations;

    public static Profile ShortRun { get; } = new()
    {
        Name = "short",
        StreamCounts = [1, 4, 16],
        Mutations = 20,
        MutationsLarge = 10,
        FloorSamples = 50,
        ApiCallers = 16,
        ApiDuration = TimeSpan.FromSeconds(3),
        ReadCallers = 16,
        ReadDuration = TimeSpan.FromSeconds(2),
        MemoryStreams = 16,
        MemorySettle = TimeSpan.FromSeconds(1),
        StormStreams = 16,
        WireRoutes = 1000,
        WireClusters = 100,
        WireMutations = 5,
    };

    public static Profile FullRun { get; } = new()
    {
        Name = "full",
        StreamCounts = [1, 100, 1000, 5000],
        Mutations = 100,
        MutationsLarge = 30,
        FloorSamples = 200,
        ApiCallers = 128,
        ApiDuration = TimeSpan.FromSeconds(10),
        ReadCallers = 64,
        ReadDuration = TimeSpan.FromSeconds(5),
        MemoryStreams = 1000,
        MemorySettle = TimeSpan.FromSeconds(5),
        StormStreams = 1000,
        WireRoutes = 10000,
        WireClusters = 1000,
        WireMutations = 20,
    };
}
