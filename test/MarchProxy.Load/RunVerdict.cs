using MarchProxy.Load.Results;

namespace MarchProxy.Load;

/// <summary>
/// Whether a run measured everything it set out to: every scenario has a result, every fleet synced
/// and every mutation reached every client. Goals are not part of it (they are reported, not enforced).
/// </summary>
public static class RunVerdict
{
    public static bool IsComplete(RunResults run, out string reason)
    {
        var problems = new List<string>();
        foreach (var host in run.Baseline is null ? [run.Now] : new[] { run.Baseline, run.Now })
        {
            problems.AddRange(host.Errors.Select(e => $"{host.Label}: {e}"));
            var p = run.Settings;
            if (p.Runs("propagation"))
            {
                foreach (var streams in p.StreamCounts)
                {
                    var result = host.Propagation.FirstOrDefault(r => r.Streams == streams);
                    if (result is null || !result.AllSynced || result.Complete < result.Mutations)
                    {
                        problems.Add($"{host.Label}: propagation at {streams} streams is incomplete");
                    }
                }
            }

            Require(problems, host, p.Runs("floor"), host.UnaryFloor is not null, "floor");
            Require(problems, host, p.Runs("api"), host.ApiThroughput is { Mutations: > 0, Failures: 0 }, "api");
            Require(problems, host, p.Runs("read"), host.ReadRatio is { Failures: 0 }, "read");
            Require(problems, host, p.Runs("memory"), host.IdleMemory is { AllSynced: true }, "memory");
            Require(problems, host, p.Runs("storm"), host.ReconnectStorm is { AllSyncedBefore: true, AllSyncedAfter: true }, "storm");
            Require(problems, host, p.Runs("wire"), host.WireBytes is { Synced: true } w && w.Complete == w.Mutations, "wire");
            Require(problems, host, p.Runs("batch"), host.Batch is { Synced: true, BulkHeld: true, Failures: 0, Batches: > 0 }, "batch");
        }

        reason = string.Join("; ", problems.Distinct(StringComparer.Ordinal));
        return problems.Count == 0;
    }

    private static void Require(List<string> problems, HostResults host, bool runs, bool ok, string scenario)
    {
        if (runs && !ok)
        {
            problems.Add($"{host.Label}: {scenario} is missing or incomplete");
        }
    }
}
