using System.Text;
using MarchProxy.Load.Results;
using static MarchProxy.Load.Reporting.MarkdownReport;

namespace MarchProxy.Load.Reporting;

/// <summary>One Markdown table per scenario, a row per build.</summary>
internal static class DetailTables
{
    public static void Append(StringBuilder md, RunResults run)
    {
        var builds = run.Baseline is null ? new[] { run.Now } : [run.Baseline, run.Now];

        md.AppendLine("## Mutation → ACK");
        md.AppendLine();
        md.AppendLine("From sending SetTrafficWeight to the first and the last client ACKing the RDS response with its weights; one mutation at a time, two warm-up mutations not counted.");
        md.AppendLine();
        md.AppendLine("| build | streams | connect s | mutations held by all | RPC p50 | first ACK p50 | first ACK p99 | last ACK p50 | last ACK p99 | last ACK max | NACKs | reconnects | host CPU µs per stream and change | clients' CPU µs per stream and change |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var h in builds)
        {
            foreach (var p in h.Propagation)
            {
                md.AppendLine(Inv($"| {h.Label} | {p.Streams} | {p.ConnectSeconds:F1} | {p.Complete}/{p.Mutations} | {Ms(p.Rpc.P50Ms)} | {Ms(p.FirstAck.P50Ms)} | {Ms(p.FirstAck.P99Ms)} | {Ms(p.LastAck.P50Ms)} | {Ms(p.LastAck.P99Ms)} | {Ms(p.LastAck.MaxMs)} | {p.Nacks} | {p.Reconnects} | {p.HostCpuPerStreamUs:F1} | {p.ClientCpuPerStreamUs:F1} |"));
            }
        }

        md.AppendLine();
        md.AppendLine("## Unary floor (one caller, serial)");
        md.AppendLine();
        md.AppendLine("| build | health Check p50 / p99 | GetStatus p50 / p99 | SetTrafficWeight p50 / p99 | 4 KiB write + fsync p50 / p99 |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var h in builds.Where(b => b.UnaryFloor is not null))
        {
            var f = h.UnaryFloor!;
            md.AppendLine(Inv($"| {h.Label} | {Pair(f.HealthCheck)} | {Pair(f.GetStatus)} | {Pair(f.SetTrafficWeight)} | {Pair(f.Fsync)} |"));
        }

        md.AppendLine();
        md.AppendLine("## API");
        md.AppendLine();
        md.AppendLine("| build | callers / connections | mutations/s | p50 | p99 | failed | health rps | GetStatus rps | GetRoutes rps |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var h in builds)
        {
            var a = h.ApiThroughput;
            var r = h.ReadRatio;
            md.AppendLine(Inv($"| {h.Label} | {a?.Callers}/{a?.Connections} | {a?.PerSecond:N0} | {Ms(a?.Latency.P50Ms ?? double.NaN)} | {Ms(a?.Latency.P99Ms ?? double.NaN)} | {a?.Failures} | {r?.HealthRps:N0} | {r?.GetStatusRps:N0} | {r?.GetRoutesRps:N0} |"));
        }

        md.AppendLine();
        md.AppendLine("## Memory, reconnect storm, bytes on the wire");
        md.AppendLine();
        md.AppendLine("| build | idle streams | RSS before / with / after (MiB) | per stream | storm streams | host away | synced after serving | 10k-route change bytes | responses | initial sync bytes |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var h in builds)
        {
            var m = h.IdleMemory;
            var s = h.ReconnectStorm;
            var w = h.WireBytes;
            md.AppendLine(Inv($"| {h.Label} | {m?.Streams} | {Mib(m?.RssBeforeBytes)} / {Mib(m?.RssWithStreamsBytes)} / {Mib(m?.RssAfterBytes)} | {m?.BytesPerStream / 1024:F1} KiB | {s?.Streams} | {s?.DowntimeSeconds:F2} s | {(s is null ? "—" : s.AllSyncedAfter ? Inv($"{s.SyncAfterServingSeconds:F2} s") : Inv($"{s.SyncedAfter}/{s.Streams}"))} | {w?.MeanBytesPerChange:N0} | {w?.MeanResponsesPerChange} | {w?.InitialSyncBytes:N0} |"));
        }

        var errors = builds.SelectMany(h => h.Errors.Select(e => (h.Label, Error: e))).ToList();
        if (errors.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Errors");
            md.AppendLine();
            foreach (var (label, error) in errors)
            {
                md.AppendLine(Inv($"- {label}: {error.ReplaceLineEndings(" ")}"));
            }
        }
    }

    private static string Pair(LatencySummary s) => Inv($"{Ms(s.P50Ms)} / {Ms(s.P99Ms)}");

    private static string Mib(long? bytes) => bytes is { } b ? Inv($"{b / 1048576.0:F1}") : "—";
}
