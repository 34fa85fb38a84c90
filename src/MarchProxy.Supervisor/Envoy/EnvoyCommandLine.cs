using System.Globalization;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>Builds Envoy's command lines. Never <c>--use-dynamic-base-id</c>: it cannot be combined with an epoch above 0.</summary>
internal static class EnvoyCommandLine
{
    public static IReadOnlyList<string> Serve(EnvoyOptions options, string bootstrapPath, int epoch, long baseId)
    {
        var args = new List<string>
        {
            "-c", bootstrapPath,
            "--restart-epoch", epoch.ToString(CultureInfo.InvariantCulture),
            "--base-id", baseId.ToString(CultureInfo.InvariantCulture),
            "--drain-time-s", WholeSeconds(options.DrainTime),
            "--parent-shutdown-time-s", WholeSeconds(options.ParentShutdownTime),
            "--log-level", options.LogLevel,
        };
        if (options.Concurrency is { } concurrency)
        {
            args.Add("--concurrency");
            args.Add(concurrency.ToString(CultureInfo.InvariantCulture));
        }

        args.AddRange(options.ExtraArgs);
        return args;
    }

    public static IReadOnlyList<string> Validate(string bootstrapPath) => ["--mode", "validate", "-c", bootstrapPath];

    /// <summary>The base id of every epoch: the configured one, else the admin port (unique per host).</summary>
    public static long BaseId(EnvoyOptions options) => options.BaseId ?? options.AdminPort;

    private static string WholeSeconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
