using System.CommandLine;

namespace MarchProxy.Cli;

/// <summary>The options every command takes (connection, authentication, output), each also read from an environment variable.</summary>
public sealed class GlobalOptions
{
    public const string ServerVariable = "MARCHPROXY_SERVER";
    public const string ApiKeyVariable = "MARCHPROXY_API_KEY";
    public const string CaFileVariable = "MARCHPROXY_CA_FILE";
    public const string SkipVerifyVariable = "MARCHPROXY_INSECURE_SKIP_VERIFY";
    public const string TimeoutVariable = "MARCHPROXY_REQUEST_TIMEOUT";
    public const string AckTimeoutVariable = "MARCHPROXY_ACK_TIMEOUT";
    public const string RetriesVariable = "MARCHPROXY_RETRIES";
    public const string OutputVariable = "MARCHPROXY_OUTPUT";

    public Option<string> Server { get; } = new("--server", "-s")
    {
        Description = $"The ALB's API address: host:port, http://host:port (h2c) or https://host:port (TLS). Env {ServerVariable}; else http://127.0.0.1:$GRPC_PORT when GRPC_PORT is set; else http://localhost:50051.",
        Recursive = true,
    };

    public Option<string> ApiKey { get; } = new("--api-key")
    {
        Description = $"The ALB's CLUSTER_API_KEY, sent as 'authorization: Bearer <key>'. Env {ApiKeyVariable}, else CLUSTER_API_KEY.",
        Recursive = true,
    };

    public Option<bool> Tls { get; } = new("--tls")
    {
        Description = "Use TLS for a host:port address (an https:// address always does).",
        Recursive = true,
    };

    public Option<string> CaFile { get; } = new("--ca-file")
    {
        Description = $"A PEM file with the CA certificates that sign the API's certificate (implies --tls). Env {CaFileVariable}.",
        Recursive = true,
    };

    public Option<bool> InsecureSkipVerify { get; } = new("--insecure-skip-verify")
    {
        Description = $"Accept any server certificate (implies --tls; for testing only). Env {SkipVerifyVariable}=true.",
        Recursive = true,
    };

    public Option<string> RequestTimeout { get; } = new("--request-timeout")
    {
        Description = $"Deadline of each call, e.g. 30s, 500ms, 1m (default 30s). Env {TimeoutVariable}.",
        Recursive = true,
    };

    public Option<string> AckTimeout { get; } = new("--ack-timeout")
    {
        Description = $"How long --wait waits for every xDS node's ACK (default 10s). Env {AckTimeoutVariable}.",
        Recursive = true,
    };

    public Option<int?> Retries { get; } = new("--retries")
    {
        Description = $"Retries of a call that fails with UNAVAILABLE (default 3). Env {RetriesVariable}.",
        Recursive = true,
    };

    public Option<OutputFormat?> Output { get; } = new("--output", "-o")
    {
        Description = $"table (for people) or json (for scripts). Env {OutputVariable}.",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Server);
        root.Options.Add(ApiKey);
        root.Options.Add(Tls);
        root.Options.Add(CaFile);
        root.Options.Add(InsecureSkipVerify);
        root.Options.Add(RequestTimeout);
        root.Options.Add(AckTimeout);
        root.Options.Add(Retries);
        root.Options.Add(Output);
    }
}
