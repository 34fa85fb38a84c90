using System.Net;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// <see cref="IEnvoyAdminClient"/> over HTTP/1.1. The <see cref="HttpClient"/> carries the base address
/// (http://127.0.0.1:AdminPort/) and the per-request timeout.
/// </summary>
internal sealed class EnvoyAdminClient(HttpClient httpClient) : IEnvoyAdminClient
{
    public const string HttpClientName = "MarchProxy.Supervisor.EnvoyAdmin";

    public async Task<EnvoyServerInfo> GetServerInfoAsync(CancellationToken cancellationToken = default) =>
        AdminJson.ParseServerInfo(await GetStringAsync("server_info", cancellationToken).ConfigureAwait(false));

    public async Task<EnvoyReadiness> GetReadyAsync(CancellationToken cancellationToken = default)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "ready", cancellationToken).ConfigureAwait(false);
        return status switch
        {
            HttpStatusCode.OK => new EnvoyReadiness(true, body.Trim()),
            HttpStatusCode.ServiceUnavailable => new EnvoyReadiness(false, body.Trim()),
            _ => throw new EnvoyAdminException($"GET /ready answered {(int)status}: {Truncate(body)}", status),
        };
    }

    public async Task<EnvoyStats> GetStatsAsync(string? filter = null, CancellationToken cancellationToken = default)
    {
        var path = filter is null ? "stats?format=json" : "stats?format=json&filter=" + Uri.EscapeDataString(filter);
        return AdminJson.ParseStats(await GetStringAsync(path, cancellationToken).ConfigureAwait(false));
    }

    public Task<string> GetPrometheusStatsAsync(CancellationToken cancellationToken = default) =>
        GetStringAsync("stats/prometheus", cancellationToken);

    public Task HealthcheckFailAsync(CancellationToken cancellationToken = default) =>
        PostAsync("healthcheck/fail", cancellationToken);

    public Task DrainListenersAsync(bool graceful, CancellationToken cancellationToken = default) =>
        PostAsync(graceful ? "drain_listeners?graceful" : "drain_listeners", cancellationToken);

    public Task QuitAsync(CancellationToken cancellationToken = default) =>
        PostAsync("quitquitquit", cancellationToken);

    private async Task<string> GetStringAsync(string path, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path, cancellationToken).ConfigureAwait(false);
        return status == HttpStatusCode.OK
            ? body
            : throw new EnvoyAdminException($"GET /{path} answered {(int)status}: {Truncate(body)}", status);
    }

    private async Task PostAsync(string path, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, path, cancellationToken).ConfigureAwait(false);
        if (status != HttpStatusCode.OK)
        {
            throw new EnvoyAdminException($"POST /{path} answered {(int)status}: {Truncate(body)}", status);
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        try
        {
            using var response = await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return (response.StatusCode, body);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} /{path} timed out after {httpClient.Timeout}.", ex);
        }
    }

    private static string Truncate(string body) => body.Length <= 200 ? body.Trim() : body[..200] + "…";
}
