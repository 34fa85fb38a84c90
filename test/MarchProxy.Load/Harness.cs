using MarchProxy.Load.Hosting;
using MarchProxy.Load.Machine;
using MarchProxy.Load.Reporting;
using MarchProxy.Load.Results;
using MarchProxy.Load.Scenarios;

namespace MarchProxy.Load;

/// <summary>
/// Runs a profile against one build, or against a baseline build and the build under test in one
/// invocation. Scenarios come in groups that share a host; each group runs on the baseline and then on
/// the build under test, so both see the machine in much the same state. A failing scenario is
/// recorded and the run goes on.
/// </summary>
public sealed class Harness(HarnessOptions options, TimeProvider time, RunLog log)
{
    public const string ResultsJson = "results.json";
    public const string ResultsMarkdown = "results.md";
    public const string PlotSvg = "last-ack-p99.svg";

    public async Task<RunResults> RunAsync(CancellationToken cancellationToken)
    {
        var now = HostBuild.Resolve("now", options.HostDirectory);
        var baseline = options.BaselineDirectory is { } b ? HostBuild.Resolve("baseline", b) : null;
        var profile = options.Profile;
        var started = time.GetTimestamp();
        var results = new RunResults
        {
            Profile = profile.Name,
            Settings = profile,
            Started = time.GetUtcNow(),
            Machine = MachineInfo.Read(),
            Now = new HostResults { Label = now.Label, Directory = now.Directory },
            Baseline = baseline is null ? null : new HostResults { Label = baseline.Label, Directory = baseline.Directory },
        };
        var builds = baseline is null ? [(now, results.Now)] : new[] { (baseline, results.Baseline!), (now, results.Now) };

        await using (var sampler = new LoadSampler(TimeSpan.FromSeconds(2), time))
        {
            if (profile.Runs("propagation") || profile.Runs("floor") || profile.Runs("api") || profile.Runs("read"))
            {
                foreach (var (build, into) in builds)
                {
                    await GroupAsync(build, into, SeedConfig.Build(0, 0), async run =>
                    {
                        // Reads first, while the host has seen no xDS node (GetStatus lists every node it knows).
                        await StepAsync("floor", into, async () => into.UnaryFloor = await UnaryFloorScenario.RunAsync(run, profile, cancellationToken));
                        await StepAsync("read", into, async () => into.ReadRatio = await ReadRatioScenario.RunAsync(run, profile, cancellationToken));
                        await StepAsync("api", into, async () => into.ApiThroughput = await ApiThroughputScenario.RunAsync(run, profile, cancellationToken));
                        await StepAsync("propagation", into, () => PropagationScenario.RunAsync(run, profile, into.Propagation, cancellationToken));
                    }, cancellationToken);
                }
            }

            if (profile.Runs("memory") || profile.Runs("storm"))
            {
                foreach (var (build, into) in builds)
                {
                    await GroupAsync(build, into, SeedConfig.Build(0, 0), async run =>
                    {
                        await StepAsync("memory", into, async () => into.IdleMemory = await IdleMemoryScenario.RunAsync(run, profile, cancellationToken));
                        await StepAsync("storm", into, async () => into.ReconnectStorm = await ReconnectStormScenario.RunAsync(run, profile, cancellationToken));
                    }, cancellationToken);
                }
            }

            if (profile.Runs("wire"))
            {
                foreach (var (build, into) in builds)
                {
                    // The probe is one of the routes: a state of WireRoutes routes in all (the ALB allows 10,000).
                    await GroupAsync(build, into, SeedConfig.Build(profile.WireRoutes - 1, profile.WireClusters), async run =>
                        await StepAsync("wire", into, async () => into.WireBytes = await WireBytesScenario.RunAsync(run, profile, cancellationToken)), cancellationToken);
                }
            }

            if (profile.Runs("batch"))
            {
                foreach (var (build, into) in builds)
                {
                    await GroupAsync(build, into, SeedConfig.Build(0, 0), async run =>
                        await StepAsync("batch", into, async () => into.Batch = await BatchScenario.RunAsync(run, profile, cancellationToken)), cancellationToken);
                }
            }

            results.Load = sampler.Summary();
        }

        results.DurationSeconds = Math.Round(time.GetElapsedTime(started).TotalSeconds, 1);
        Write(results);
        return results;
    }

    private void Write(RunResults results)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        File.WriteAllText(Path.Combine(options.OutputDirectory, ResultsJson), JsonReport.Write(results));
        File.WriteAllText(Path.Combine(options.OutputDirectory, ResultsMarkdown), MarkdownReport.Write(results, PlotSvg));
        File.WriteAllText(Path.Combine(options.OutputDirectory, PlotSvg), SvgPlot.Write(results));
        log.Info($"results in {Path.GetFullPath(options.OutputDirectory)} ({ResultsJson}, {ResultsMarkdown}, {PlotSvg})");
    }

    private async Task GroupAsync(HostBuild build, HostResults into, string seedConfig, Func<HostRun, Task> body, CancellationToken cancellationToken)
    {
        HostRun run;
        try
        {
            run = await HostRun.StartAsync(build, seedConfig, options.HostEnvironment, time, log, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Record(into, "host start", ex);
            return;
        }

        await using (run)
        {
            await body(run);
        }
    }

    private async Task StepAsync(string scenario, HostResults into, Func<Task> step)
    {
        if (!options.Profile.Runs(scenario))
        {
            return;
        }

        try
        {
            await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Record(into, scenario, ex);
        }
    }

    private void Record(HostResults into, string scenario, Exception ex)
    {
        // A scenario that fails must not stop the others: its error goes into the results.
        into.Errors.Add($"{scenario}: {ex.GetType().Name}: {ex.Message}");
        log.Info($"{into.Label}: {scenario} failed: {ex}");
    }
}
