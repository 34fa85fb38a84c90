using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process, so that BenchmarkDotNet does not rebuild the solution's projects into their default
// output folders (and measures under the GC settings of this process: set DOTNET_gcServer=1 to
// measure as the ALB host runs). A short job (3 warm-up and 10 measured iterations) keeps a full
// run to about two minutes; median and minimum are shown because CI machines are noisy. Run with:
//   dotnet run -c Release --project test/MarchProxy.Benchmarks -- --filter '*'
// or, for wall and CPU time per operation on a busy machine:
//   dotnet run -c Release --project test/MarchProxy.Benchmarks -- --cpu-time [part of a scenario's name]
if (args is ["--cpu-time", ..])
{
    MarchProxy.Benchmarks.CpuTimeProbe.Run(args.Length > 1 ? args[1] : null);
    return;
}

var config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(10)
        .WithId("InProcess"))
    .AddColumn(StatisticColumn.Median, StatisticColumn.Min);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
