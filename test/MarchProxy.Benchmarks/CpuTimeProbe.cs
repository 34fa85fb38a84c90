using System.Diagnostics;
using System.Globalization;

namespace MarchProxy.Benchmarks;

/// <summary>
/// A second view of <see cref="TranslationBenchmarks"/> for shared, busy machines: per operation,
/// the median wall time and the median CPU time of this process (all threads, GC included). Waiting
/// for a core does not count as CPU time, so the CPU figure stays close to what a quiet machine shows.
/// Run with <c>--cpu-time</c>.
/// </summary>
internal static class CpuTimeProbe
{
    private const int Rounds = 15;

    private static string? _filter;

    /// <summary>Runs the scenarios whose name contains <paramref name="filter"/> (all when null).</summary>
    public static void Run(string? filter)
    {
        _filter = filter;
        var benchmarks = new TranslationBenchmarks();
        benchmarks.Setup();
        Console.WriteLine("| Scenario | ops/round | wall median (ms/op) | CPU median (ms/op) | allocated (KB/op) |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Measure("Envoy: full translation", 5, () => benchmarks.EnvoyFullTranslation());
        Measure("Envoy: one-route weight change", 500, () => benchmarks.EnvoyWeightChange());
        Measure("gRPC: full translation", 5, () => benchmarks.GrpcFullTranslation());
        Measure("gRPC: one-route weight change", 500, () => benchmarks.GrpcWeightChange());
        Measure("Envoy: weight change + Snapshot.Create, routes serialised whole", 50, () => benchmarks.EnvoyWeightChangePublishWholeRoutes());
        Measure("Envoy: weight change + Snapshot.Create (virtual host bytes reused)", 500, () => benchmarks.EnvoyWeightChangePublish());

        // 1000 streams per operation, so its ms per operation read as µs per stream.
        var fanOut = new AdsFanOutBenchmarks { Streams = 1000 };
        fanOut.Setup();
        Measure("ADS SotW: one weight change to 1000 streams (ms/op = µs per stream)", 10, () => fanOut.WeightChangeToEveryStream());
    }

    private static void Measure(string name, int opsPerRound, Action operation)
    {
        if (_filter is not null && !name.Contains(_filter, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        for (var i = 0; i < opsPerRound; i++)
        {
            operation();
        }

        var process = Process.GetCurrentProcess();
        var wall = new List<double>(Rounds);
        var cpu = new List<double>(Rounds);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (var round = 0; round < Rounds; round++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < opsPerRound; i++)
            {
                operation();
            }

            wall.Add(watch.Elapsed.TotalMilliseconds / opsPerRound);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuStart).TotalMilliseconds / opsPerRound);
        }

        var kbPerOp = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / (Rounds * opsPerRound);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {opsPerRound} | {Median(wall):F3} | {Median(cpu):F3} | {kbPerOp:F1} |"));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
