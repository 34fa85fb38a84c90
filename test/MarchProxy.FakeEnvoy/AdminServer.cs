using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// Envoy's admin API on the bootstrap's admin address (HTTP/1.1): /ready, /server_info, /stats
/// (text and ?format=json, with ?filter=), /stats/prometheus, and the POST-only /healthcheck/fail,
/// /healthcheck/ok, /drain_listeners and /quitquitquit (a GET gets 405, as in Envoy). Test controls
/// live under /fake/. The listener can be shut down on a hot-restart child's request.
/// </summary>
internal sealed class AdminServer : IAsyncDisposable
{
    private static readonly HashSet<string> Mutating = new(StringComparer.Ordinal)
    {
        "/healthcheck/fail", "/healthcheck/ok", "/drain_listeners", "/quitquitquit", "/reset_counters", "/logging", "/runtime_modify",
    };

    private readonly WebApplication _app;
    private readonly FakeEnvoyRuntime _runtime;

    private AdminServer(WebApplication app, FakeEnvoyRuntime runtime)
    {
        _app = app;
        _runtime = runtime;
        app.Run(HandleAsync);
    }

    /// <exception cref="IOException">The admin port is in use.</exception>
    public static async Task<AdminServer> StartAsync(FakeEnvoyRuntime runtime)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(
            IPAddress.Parse(runtime.Bootstrap.AdminAddress), runtime.Bootstrap.AdminPort, listen => listen.Protocols = HttpProtocols.Http1));
        var server = new AdminServer(builder.Build(), runtime);
        try
        {
            await server._app.StartAsync();
        }
        catch
        {
            await server._app.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Closes the admin listener (the hot-restart child takes the port over).</summary>
    public Task StopAsync() => _app.StopAsync(TimeSpan.FromSeconds(1));

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (!path.StartsWith("/fake/", StringComparison.Ordinal))
        {
            _runtime.Calls.Add($"{request.Method} {path}{request.QueryString.Value}");
            if (_runtime.Settings.AdminDelayMs > 0)
            {
                await Task.Delay(_runtime.Settings.AdminDelayMs, context.RequestAborted);
            }
        }

        if (Mutating.Contains(path) && request.Method != HttpMethods.Post)
        {
            _runtime.Log.Error("admin", $"admin path \"{path}\" mutates state, method={request.Method} rather than POST");
            await Text(context, StatusCodes.Status405MethodNotAllowed, $"Method {request.Method} not allowed, POST required.");
            return;
        }

        var state = _runtime.State;
        switch (path)
        {
            case "/ready":
                await Text(context, state.State == "LIVE" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, state.State + "\n");
                break;
            case "/server_info":
                await Json(context, _runtime.ServerInfoJson());
                break;
            case "/stats":
                var filter = request.Query["filter"].FirstOrDefault();
                if (request.Query["format"] == "json")
                {
                    await Json(context, _runtime.Stats.RenderJson(filter));
                }
                else
                {
                    await Text(context, StatusCodes.Status200OK, _runtime.Stats.RenderText(filter));
                }

                break;
            case "/stats/prometheus":
                await Text(context, StatusCodes.Status200OK, _runtime.Stats.RenderPrometheus());
                break;
            case "/healthcheck/fail" or "/healthcheck/ok":
                state.SetHealthcheckFailed(path.EndsWith("fail", StringComparison.Ordinal));
                await Text(context, StatusCodes.Status200OK, "OK\n");
                break;
            case "/drain_listeners":
                state.StartDrainingListeners();
                _runtime.Log.Info("main", $"draining listeners ({request.QueryString.Value})");
                await Text(context, StatusCodes.Status200OK, "OK\n");
                break;
            case "/quitquitquit":
                await Text(context, StatusCodes.Status200OK, "OK\n");
                if (!_runtime.Settings.IgnoreQuit)
                {
                    context.Response.OnCompleted(() =>
                    {
                        _runtime.Exit(0);
                        return Task.CompletedTask;
                    });
                }

                break;
            case "/hot_restart_version":
                await Text(context, StatusCodes.Status200OK, FakeEnvoyRuntime.HotRestartVersion + "\n");
                break;
            case "/reset_counters" or "/logging" or "/runtime_modify":
                await Text(context, StatusCodes.Status200OK, "OK\n");
                break;
            default:
                await HandleFakeAsync(context, path);
                break;
        }
    }

    private async Task HandleFakeAsync(HttpContext context, string path)
    {
        var isPost = context.Request.Method == HttpMethods.Post;
        switch (path)
        {
            case "/fake/stats" when isPost:
                using (var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))
                {
                    _runtime.Stats.Apply(body.RootElement);
                }

                await Text(context, StatusCodes.Status200OK, "OK\n");
                break;
            case "/fake/crash" when isPost:
                _runtime.Log.Critical("backtrace", "Caught Segmentation fault, suspect faulting address 0x0 (simulated by POST /fake/crash)");
                Environment.Exit(1);
                break;
            case "/fake/nack" when isPost:
                using (var reader = new StreamReader(context.Request.Body))
                {
                    _runtime.Settings.NackPattern = (await reader.ReadToEndAsync(context.RequestAborted)).Trim();
                }

                await Text(context, StatusCodes.Status200OK, "OK\n");
                break;
            case "/fake/calls":
                await Json(context, JsonSerializer.Serialize(_runtime.Calls.Snapshot()));
                break;
            case "/fake/xds":
                await Json(context, _runtime.Xds.ToJson());
                break;
            default:
                await Text(context, StatusCodes.Status404NotFound, "invalid path. admin commands are: /ready /server_info /stats /stats/prometheus /healthcheck/fail /healthcheck/ok /drain_listeners /quitquitquit\n");
                break;
        }
    }

    private static Task Text(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=UTF-8";
        return context.Response.WriteAsync(body);
    }

    private static Task Json(HttpContext context, string body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    /// <summary>Signals belong to the fake's own handlers, not to the admin host.</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
