using System.Globalization;
using System.Text;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Reporting;

/// <summary>
/// The results as Markdown: the summary table (each measure with baseline, now and its goal), then
/// a table per scenario. Figures missing from a run read "—".
/// </summary>
public static class MarkdownReport
{
    public static string Write(RunResults run, string plotFile)
    {
        var md = new StringBuilder();
        var now = run.Now;
        var baseline = run.Baseline;
        md.AppendLine(Inv($"# Load harness: profile `{run.Profile}`"));
        md.AppendLine();
        md.AppendLine(Inv($"Run {run.Started:yyyy-MM-dd HH:mm} UTC, {run.DurationSeconds:F0} s. ")
            + Inv($"Protocol {run.Settings.Protocol.ToString().ToLowerInvariant()}; one HTTP/2 connection per stream; host and clients share the machine."));
        md.AppendLine();
        AppendMachine(md, run);
        md.AppendLine();
        md.AppendLine("## Summary");
        md.AppendLine();
        md.AppendLine(baseline is null ? "| measure | now | goal |" : "| measure | baseline | now | goal |");
        md.AppendLine(baseline is null ? "|---|---|---|" : "|---|---|---|---|");
        foreach (var (measure, value, goal) in SummaryRows(run))
        {
            md.AppendLine(baseline is null
                ? Inv($"| {measure} | {value(now)} | {goal} |")
                : Inv($"| {measure} | {value(baseline)} | {value(now)} | {goal} |"));
        }

        md.AppendLine();
        md.AppendLine(Inv($"![mutation → last ACK p99 against the number of streams]({plotFile})"));
        md.AppendLine();
        DetailTables.Append(md, run);
        return md.ToString();
    }

    /// <summary>(measure, value per build, goal) for each row of the summary.</summary>
    public static IEnumerable<(string Measure, Func<HostResults, string> Value, string Goal)> SummaryRows(RunResults run)
    {
        var counts = run.Now.Propagation.Select(p => p.Streams).Union(run.Baseline?.Propagation.Select(p => p.Streams) ?? []).Order().ToList();
        if (counts.Contains(1))
        {
            yield return ("SetTrafficWeight → RDS ACK at 1 stream, p50", h => OneStream(h), Inv($"≤ unary floor + fsync + {Goals.OneStreamSlackMs} ms"));
        }

        foreach (var streams in counts.Where(c => c > 1))
        {
            var goal = Goals.LastAckP99Ms.TryGetValue(streams, out var ms) ? Inv($"≤ {ms:0} ms") : "—";
            if (streams >= 5000)
            {
                goal = "all synced; " + goal;
            }

            yield return (Inv($"→ last of {streams} streams ACKed, p99"), h => LastAck(h, streams), goal);
        }

        if (run.Settings.Runs("memory"))
        {
            yield return ("memory per idle stream", Memory, Inv($"≤ {Goals.BytesPerIdleStream / 1024:0} KB, back to baseline after disconnect"));
        }

        if (run.Settings.Runs("api"))
        {
            yield return (Inv($"mutations/s, {run.Settings.ApiCallers} concurrent callers"), Throughput, Inv($"≥ {Goals.MutationsPerSecond:N0} with every acknowledged mutation durable"));
        }

        if (run.Settings.Runs("read"))
        {
            yield return ("GetStatus/GetRoutes rps vs grpc health Check, same process", Reads, Inv($"keep ≥ {Goals.ReadRatio:P0}"));
        }

        if (run.Settings.Runs("wire"))
        {
            yield return (Inv($"weight change at {run.Settings.WireRoutes:N0} routes: bytes to one client, → ACK p50"), Wire, "translate + snapshot ≤ 1 ms (BenchmarkDotNet); bytes: as few as the change needs");
        }

        if (run.Settings.Runs("batch"))
        {
            yield return ("10k routes in one ApplyBatch → answered, → ACK at 1 stream", BulkBatch, "one version; no goal set");
            yield return (Inv($"mutations/s through ApplyBatch of 100 items, {run.Settings.ApiCallers} concurrent callers"), BatchThroughput, "no goal set");
        }

        if (run.Settings.Runs("storm"))
        {
            yield return (Inv($"reconnect storm, {run.Settings.StormStreams} streams after an ALB restart"), Storm, Inv($"all synced ≤ {Goals.StormSeconds:0} s"));
        }
    }

    private static string OneStream(HostResults h)
    {
        var one = h.Propagation.FirstOrDefault(p => p.Streams == 1);
        if (one is null || one.LastAck.Count == 0)
        {
            return Missing(one?.Problems);
        }

        var floor = h.UnaryFloor is { } f ? Inv($" (unary floor {Ms(f.HealthCheck.P50Ms)}, fsync {Ms(f.Fsync.P50Ms)})") : string.Empty;
        return Inv($"{Ms(one.LastAck.P50Ms)}{floor}");
    }

    private static string LastAck(HostResults h, int streams)
    {
        var p = h.Propagation.FirstOrDefault(x => x.Streams == streams);
        if (p is null || !p.AllSynced)
        {
            return Missing(p?.Problems, p is null ? null : "not all synced");
        }

        var incomplete = p.Complete < p.Mutations ? Inv($"; {p.Mutations - p.Complete} of {p.Mutations} not held by all") : string.Empty;
        return Inv($"{Ms(p.LastAck.P99Ms)} (p50 {Ms(p.LastAck.P50Ms)}{incomplete})");
    }

    private static string Memory(HostResults h) => h.IdleMemory is { } m
        ? Inv($"{m.BytesPerStream / 1024:F1} KB (RSS {Mb(m.RssBeforeBytes)} → {Mb(m.RssWithStreamsBytes)} → {Mb(m.RssAfterBytes)} MB for {m.Streams} streams{(m.AllSynced ? string.Empty : ", not all synced")})")
        : Missing(null);

    private static string Throughput(HostResults h) => h.ApiThroughput is { } a
        ? Inv($"{a.PerSecond:N0} (p50 {Ms(a.Latency.P50Ms)}, p99 {Ms(a.Latency.P99Ms)}{(a.Failures > 0 ? Inv($", {a.Failures} failed") : string.Empty)})")
        : Missing(null);

    private static string Reads(HostResults h) => h.ReadRatio is { } r
        ? Inv($"{r.GetStatusRatio:P0} / {r.GetRoutesRatio:P0} ({r.GetStatusRps / 1000:F1}k / {r.GetRoutesRps / 1000:F1}k vs {r.HealthRps / 1000:F1}k)")
        : Missing(null);

    private static string Wire(HostResults h) => h.WireBytes is { Synced: true } w
        ? Inv($"{w.MeanBytesPerChange / 1024:F1} KB in {w.MeanResponsesPerChange:0.#} response(s); p50 {Ms(w.LastAck.P50Ms)}")
        : Missing(null);

    private static string Storm(HostResults h) => h.ReconnectStorm is { } s
        ? s.AllSyncedAfter
            ? Inv($"{s.SyncAfterServingSeconds:F2} s after serving (host away {s.DowntimeSeconds:F2} s, of which stopping {s.StopSeconds:F2} s)")
            : Inv($"{s.SyncedAfter} of {s.Streams} synced after {s.SyncAfterServingSeconds:F1} s")
        : Missing(null);

    private static string BulkBatch(HostResults h) => h.Batch is { Synced: true } b
        ? Inv($"{Ms(b.BulkAnsweredMs)}, {(b.BulkHeld ? Ms(b.BulkLastAckMs) : "not ACKed")} ({b.BulkItems:N0} items)")
        : Missing(h.Batch?.Errors);

    private static string BatchThroughput(HostResults h) => h.Batch is { } b
        ? Inv($"{b.ItemsPerSecond:N0} ({b.Batches:N0} batches in {b.Seconds:F1} s; batch p50 {Ms(b.BatchLatency.P50Ms)}, p99 {Ms(b.BatchLatency.P99Ms)}{(b.Failures > 0 ? Inv($", {b.Failures} failed") : string.Empty)})")
        : Missing(null);

    private static void AppendMachine(StringBuilder md, RunResults run)
    {
        var m = run.Machine;
        md.AppendLine("| machine | |");
        md.AppendLine("|---|---|");
        md.AppendLine(Inv($"| CPU | {m.Cpu}, {m.Cores} cores |"));
        md.AppendLine(Inv($"| memory | {m.MemoryBytes / 1073741824.0:F1} GiB |"));
        md.AppendLine(Inv($"| OS | {m.Os} ({m.Kernel}) |"));
        md.AppendLine(Inv($"| .NET | {m.Runtime} |"));
        md.AppendLine(Inv($"| open files (ulimit -n) | {m.OpenFilesSoft} (hard {m.OpenFilesHard}) |"));
        if (run.Load is { } load)
        {
            md.AppendLine(Inv($"| load average (1 min) | {load.AtStart:F2} at start, {load.AtEnd:F2} at end; min {load.Min:F2}, mean {load.Mean:F2}, max {load.Max:F2} ({load.Samples} samples) |"));
        }

        md.AppendLine(Inv($"| now | `{run.Now.Directory}` |"));
        if (run.Baseline is { } b)
        {
            md.AppendLine(Inv($"| baseline | `{b.Directory}` |"));
        }
    }

    internal static string Ms(double value) => double.IsNaN(value) ? "—" : Inv($"{value:0.0#} ms");

    private static string Mb(long bytes) => Inv($"{bytes / 1048576.0:F0}");

    private static string Missing(IReadOnlyList<string>? problems, string? reason = null) =>
        problems is { Count: > 0 } ? "— (" + string.Join("; ", problems.Take(2)).Replace("|", "/", StringComparison.Ordinal) + ")" : reason is null ? "—" : "— (" + reason + ")";

    internal static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
