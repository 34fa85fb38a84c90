using System.CommandLine;
using System.Globalization;
using MarchProxy.Cli.Parsing;
using MarchProxy.Client;

namespace MarchProxy.Cli;

/// <summary>Resolves the global options: the command line first, then the environment, then the defaults.</summary>
public static class ConnectionSettings
{
    public const string DefaultServer = "http://localhost:50051";

    public static MarchProxyClientOptions Resolve(ParseResult parse, GlobalOptions options, CliContext context)
    {
        var caFile = Value(parse, options.CaFile, context, GlobalOptions.CaFileVariable);
        var skipVerify = Flag(parse, options.InsecureSkipVerify, context, GlobalOptions.SkipVerifyVariable);
        var tls = parse.GetValue(options.Tls) || caFile is not null || skipVerify;
        var result = new MarchProxyClientOptions
        {
            Address = ResolveAddress(Value(parse, options.Server, context, GlobalOptions.ServerVariable), tls, context),
            ApiKey = Value(parse, options.ApiKey, context, GlobalOptions.ApiKeyVariable) ?? NonEmpty(context.Environment("CLUSTER_API_KEY")),
            CaCertificateFile = caFile is null ? null : context.ResolvePath(caFile),
            SkipCertificateVerification = skipVerify,
            Timeout = Duration(parse, options.RequestTimeout, context, GlobalOptions.TimeoutVariable) ?? TimeSpan.FromSeconds(30),
            AckTimeout = Duration(parse, options.AckTimeout, context, GlobalOptions.AckTimeoutVariable) ?? TimeSpan.FromSeconds(10),
            MaxRetryAttempts = Retries(parse, options, context),
        };

        if (result.CaCertificateFile is { } file && !File.Exists(file))
        {
            throw new UsageException($"--ca-file: {file} does not exist");
        }

        return result;
    }

    public static OutputFormat ResolveOutput(ParseResult parse, GlobalOptions options, CliContext context)
    {
        if (parse.GetValue(options.Output) is { } format)
        {
            return format;
        }

        var text = NonEmpty(context.Environment(GlobalOptions.OutputVariable));
        return text is null ? OutputFormat.Table
            : Enum.TryParse<OutputFormat>(text, ignoreCase: true, out var parsed) ? parsed
            : throw new UsageException($"{GlobalOptions.OutputVariable}: '{text}' must be table or json");
    }

    /// <summary>"host:port" becomes http:// (or https:// with TLS); a URL keeps its scheme.</summary>
    public static Uri ResolveAddress(string? server, bool tls, CliContext context)
    {
        if (server is null)
        {
            var port = NonEmpty(context.Environment("GRPC_PORT"));
            server = port is null ? DefaultServer : $"127.0.0.1:{port}";
        }

        var hasScheme = server.Contains("://", StringComparison.Ordinal);
        var text = hasScheme ? server : $"{(tls ? "https" : "http")}://{server}";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            throw new UsageException($"--server: '{server}' must look like localhost:50051, http://host:port or https://host:port");
        }

        if (tls && uri.Scheme == Uri.UriSchemeHttp && hasScheme)
        {
            throw new UsageException($"--server: '{server}' is http:// but TLS was asked for (--tls, --ca-file or --insecure-skip-verify); use https://");
        }

        return uri;
    }

    private static string? Value(ParseResult parse, Option<string> option, CliContext context, string variable) =>
        NonEmpty(parse.GetValue(option)) ?? NonEmpty(context.Environment(variable));

    private static bool Flag(ParseResult parse, Option<bool> option, CliContext context, string variable) =>
        parse.GetValue(option) || NonEmpty(context.Environment(variable)) is { } text && (text == "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static TimeSpan? Duration(ParseResult parse, Option<string> option, CliContext context, string variable)
    {
        var text = Value(parse, option, context, variable);
        return text is null ? null : DurationText.Parse(option.Name, text);
    }

    private static int Retries(ParseResult parse, GlobalOptions options, CliContext context)
    {
        if (parse.GetValue(options.Retries) is { } retries)
        {
            return retries >= 0 ? retries : throw new UsageException("--retries must be 0 or more");
        }

        var text = NonEmpty(context.Environment(GlobalOptions.RetriesVariable));
        if (text is null)
        {
            return 3;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"{GlobalOptions.RetriesVariable}: '{text}' must be a number, 0 or more");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
