using System.Globalization;
using MarchProxy.Load.Ads;

namespace MarchProxy.Load;

/// <summary>The command line: which builds, which profile (with overrides), where the results go.</summary>
public sealed record HarnessOptions
{
    public const string Usage = """
        MarchProxy.Load: end-to-end load harness for a published ALB.

          --host DIR             published ALB to measure ("now"); default artifacts/publish
          --baseline-host DIR    a second published ALB measured in the same run ("baseline")
          --profile short|full   default short
          --out DIR              where results.json, results.md and last-ack-p99.svg go; default artifacts/load
          --protocol sotw|delta  ADS variant of the clients; default sotw
          --streams 1,100,...    fleet sizes for mutation -> ACK
          --mutations N          measured mutations per fleet size (all sizes)
          --memory-streams N     idle streams for the memory scenario
          --memory-settle S      seconds the memory scenario waits before each reading
          --storm-streams N      streams for the reconnect storm
          --api-callers N        concurrent callers for mutations/s
          --wire-routes N        routes for the bytes-on-the-wire scenario (clusters = routes / 10)
          --only a,b             run only these scenarios: propagation, floor, api, read, memory, storm, wire, batch
          --host-env KEY=VALUE   extra environment variable for the hosts (repeatable)
        """;

    public string HostDirectory { get; init; } = Path.Combine("artifacts", "publish");

    public string? BaselineDirectory { get; init; }

    public string OutputDirectory { get; init; } = Path.Combine("artifacts", "load");

    public required Profile Profile { get; init; }

    public IReadOnlyDictionary<string, string> HostEnvironment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming the bad argument.</summary>
    public static HarnessOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --name value, got '{name}'");
            }

            var value = args[++i];
            if (name == "--host-env")
            {
                var split = value.IndexOf('=', StringComparison.Ordinal);
                if (split <= 0)
                {
                    throw new ArgumentException($"--host-env needs KEY=VALUE, got '{value}'");
                }

                environment[value[..split]] = value[(split + 1)..];
            }
            else
            {
                values[name[2..]] = value;
            }
        }

        var profile = Take(values, "profile") switch
        {
            null or "short" => Profile.ShortRun,
            "full" => Profile.FullRun,
            var other => throw new ArgumentException($"--profile must be short or full, got '{other}'"),
        };
        profile = Override(profile, values);
        var options = new HarnessOptions
        {
            Profile = profile,
            HostDirectory = Take(values, "host") ?? Path.Combine("artifacts", "publish"),
            BaselineDirectory = Take(values, "baseline-host"),
            OutputDirectory = Take(values, "out") ?? Path.Combine("artifacts", "load"),
            HostEnvironment = environment,
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option --{values.Keys.First()}");
        }

        return options;
    }

    private static Profile Override(Profile profile, Dictionary<string, string> values)
    {
        if (Take(values, "protocol") is { } protocol)
        {
            profile = profile with
            {
                Protocol = protocol switch
                {
                    "sotw" => XdsProtocol.Sotw,
                    "delta" => XdsProtocol.Delta,
                    _ => throw new ArgumentException($"--protocol must be sotw or delta, got '{protocol}'"),
                },
            };
        }

        if (Take(values, "streams") is { } streams)
        {
            profile = profile with { StreamCounts = [.. streams.Split(',').Select(s => Positive("streams", s))] };
        }

        if (Take(values, "mutations") is { } mutations)
        {
            var n = Positive("mutations", mutations);
            profile = profile with { Mutations = n, MutationsLarge = n };
        }

        if (Take(values, "memory-streams") is { } memory)
        {
            profile = profile with { MemoryStreams = Positive("memory-streams", memory) };
        }

        if (Take(values, "memory-settle") is { } settle)
        {
            profile = profile with { MemorySettle = TimeSpan.FromSeconds(Positive("memory-settle", settle)) };
        }

        if (Take(values, "storm-streams") is { } storm)
        {
            profile = profile with { StormStreams = Positive("storm-streams", storm) };
        }

        if (Take(values, "api-callers") is { } callers)
        {
            profile = profile with { ApiCallers = Positive("api-callers", callers) };
        }

        if (Take(values, "wire-routes") is { } routes)
        {
            var n = Positive("wire-routes", routes);
            profile = profile with { WireRoutes = n, WireClusters = Math.Max(2, n / 10) };
        }

        if (Take(values, "only") is { } only)
        {
            var names = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var unknown = names.Except(Profile.ScenarioNames).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"--only: unknown scenario '{unknown[0]}' (known: {string.Join(", ", Profile.ScenarioNames)})");
            }

            profile = profile with { Only = names };
        }

        return profile;
    }

    private static string? Take(Dictionary<string, string> values, string name) =>
        values.Remove(name, out var value) ? value : null;

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--{name} must be a positive whole number, got '{value}'");
}
