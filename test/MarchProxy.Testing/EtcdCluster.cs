using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace MarchProxy.Testing;

/// <summary>
/// Real etcd for tests: one or three members on free loopback ports, in a temporary data directory,
/// killed and deleted on dispose. Never the default ports. Administrative calls (status, compaction,
/// reads) go through etcd's JSON gateway, so this support needs no etcd client.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly HttpClient _http;
    private string? _rootToken;
    private string? _rootPassword;

    private EtcdCluster(int size, EtcdTls? tls)
    {
        _http = new HttpClient(Handler(tls)) { Timeout = TimeSpan.FromSeconds(5) };
        var token = Guid.NewGuid().ToString("N");
        var ports = Enumerable.Range(0, size).Select(_ => (Client: FreePorts.Get(), Peer: FreePorts.Get())).ToList();
        var initial = string.Join(",", ports.Select((p, i) => $"m{i}=http://127.0.0.1:{p.Peer}"));
        Members = [.. ports.Select((p, i) => new EtcdMember($"m{i}", _directory.Combine($"m{i}"), p.Client, p.Peer, initial, token, tls))];
    }

    /// <summary>etcd from PATH (Debian's etcd-server package installs /usr/bin/etcd).</summary>
    public static string Binary { get; } = FindBinary();

    public static bool IsInstalled => File.Exists(Binary);

    public IReadOnlyList<EtcdMember> Members { get; }

    /// <summary>Every member's client URL, comma-separated (ETCD_ENDPOINTS).</summary>
    public string Endpoints => string.Join(",", Members.Select(m => m.ClientUrl));

    /// <summary>Starts <paramref name="size"/> members; with <paramref name="tls"/> they serve https and require a client certificate.</summary>
    public static async Task<EtcdCluster> StartAsync(int size = 1, EtcdTls? tls = null)
    {
        var cluster = new EtcdCluster(size, tls);
        try
        {
            foreach (var member in cluster.Members)
            {
                member.Start();
            }

            await cluster.WaitHealthyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until every running member answers /health with a leader elected.</summary>
    public async Task WaitHealthyAsync()
    {
        foreach (var member in Members.Where(m => m.IsRunning))
        {
            await Poll.UntilAsync(async () => await IsHealthyAsync(member), $"etcd {member.Name} healthy. Output:\n{member.Output}", TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The running member that is the raft leader.</summary>
    public async Task<EtcdMember> LeaderAsync()
    {
        EtcdMember? leader = null;
        await Poll.UntilAsync(
            async () =>
            {
                foreach (var member in Members.Where(m => m.IsRunning))
                {
                    var status = await PostAsync(member, "/v3/maintenance/status", new { });
                    if (status is { } s && s.GetProperty("header").GetProperty("member_id").GetString() == s.GetProperty("leader").GetString())
                    {
                        leader = member;
                        return true;
                    }
                }

                return false;
            },
            "an etcd leader",
            TimeSpan.FromSeconds(30));
        return leader!;
    }

    /// <summary>The store's current revision.</summary>
    public async Task<long> RevisionAsync()
    {
        var reply = await PostAsync(AnyRunning(), "/v3/kv/range", new { key = Base64("/") })
            ?? throw new InvalidOperationException("etcd did not answer");
        return long.Parse(reply.GetProperty("header").GetProperty("revision").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Compacts the history up to <paramref name="revision"/> (watches from before it are cancelled).</summary>
    public async Task CompactAsync(long revision)
    {
        _ = await PostAsync(AnyRunning(), "/v3/kv/compaction", new { revision = revision.ToString(System.Globalization.CultureInfo.InvariantCulture), physical = true })
            ?? throw new InvalidOperationException("etcd did not compact");
    }

    /// <summary>Every key under <paramref name="prefix"/> with its value (UTF-8).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetPrefixAsync(string prefix)
    {
        var end = Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        var reply = await PostAsync(AnyRunning(), "/v3/kv/range", new { key = Base64(prefix), range_end = Convert.ToBase64String(end) })
            ?? throw new InvalidOperationException("etcd did not answer");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reply.TryGetProperty("kvs", out var kvs))
        {
            foreach (var kv in kvs.EnumerateArray())
            {
                var value = kv.TryGetProperty("value", out var v) ? Encoding.UTF8.GetString(Convert.FromBase64String(v.GetString()!)) : string.Empty;
                result[Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!))] = value;
            }
        }

        return result;
    }

    /// <summary>
    /// Every key under <paramref name="prefix"/> with its value and revisions (through the JSON gateway,
    /// which an etcd that requires client certificates does not serve).
    /// </summary>
    public async Task<IReadOnlyList<EtcdEntry>> GetEntriesAsync(string prefix)
    {
        var end = Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        var reply = await PostAsync(AnyRunning(), "/v3/kv/range", new { key = Base64(prefix), range_end = Convert.ToBase64String(end) })
            ?? throw new InvalidOperationException("etcd did not answer");
        var result = new List<EtcdEntry>();
        if (reply.TryGetProperty("kvs", out var kvs))
        {
            foreach (var kv in kvs.EnumerateArray())
            {
                var value = kv.TryGetProperty("value", out var v) ? Encoding.UTF8.GetString(Convert.FromBase64String(v.GetString()!)) : string.Empty;
                result.Add(new EtcdEntry(
                    Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!)),
                    value,
                    Number(kv, "create_revision"),
                    Number(kv, "mod_revision"),
                    Number(kv, "version")));
            }
        }

        return result;
    }

    /// <summary>
    /// Turns etcd's authentication on: a root user, and <paramref name="user"/> with a role that may read
    /// and write every key under <paramref name="prefix"/> and nothing else. Later calls of this class
    /// authenticate as root.
    /// </summary>
    public async Task EnableAuthAsync(string prefix, string user, string password)
    {
        var end = Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        var rootPassword = Guid.NewGuid().ToString("N");
        await PostRequiredAsync("/v3/auth/user/add", new { name = "root", password = rootPassword });
        await PostRequiredAsync("/v3/auth/user/grant", new { user = "root", role = "root" });
        await PostRequiredAsync("/v3/auth/role/add", new { name = user });
        await PostRequiredAsync("/v3/auth/role/grant", new { name = user, perm = new { permType = "READWRITE", key = Base64(prefix), range_end = Convert.ToBase64String(end) } });
        await PostRequiredAsync("/v3/auth/user/add", new { name = user, password });
        await PostRequiredAsync("/v3/auth/user/grant", new { user, role = user });
        await PostRequiredAsync("/v3/auth/enable", new { });
        var token = await PostRequiredAsync("/v3/auth/authenticate", new { name = "root", password = rootPassword });
        _rootToken = token.GetProperty("token").GetString();
        _rootPassword = rootPassword;
    }

    /// <summary>Switches auth off and on again: etcd forgets every token it gave (clients must authenticate again).</summary>
    public async Task RevokeTokensAsync()
    {
        await PostRequiredAsync("/v3/auth/disable", new { });
        _rootToken = null;
        await PostRequiredAsync("/v3/auth/enable", new { });
        var token = await PostRequiredAsync("/v3/auth/authenticate", new { name = "root", password = _rootPassword });
        _rootToken = token.GetProperty("token").GetString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            member.Dispose();
        }

        _http.Dispose();
        await Task.Yield();
        _directory.Dispose();
    }

    private EtcdMember AnyRunning() => Members.First(m => m.IsRunning);

    private async Task<bool> IsHealthyAsync(EtcdMember member)
    {
        if (!member.IsRunning)
        {
            throw new InvalidOperationException($"etcd {member.Name} exited:\n{member.Output}");
        }

        try
        {
            using var reply = await _http.GetAsync(new Uri($"{member.ClientUrl}/health"));
            return reply.IsSuccessStatusCode && (await reply.Content.ReadAsStringAsync()).Contains("\"true\"", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private async Task<JsonElement> PostRequiredAsync(string path, object body)
    {
        using var reply = await SendAsync(AnyRunning(), path, body);
        var text = await reply.Content.ReadAsStringAsync();
        return reply.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"etcd refused {path}: {(int)reply.StatusCode} {text}");
    }

    private async Task<HttpResponseMessage> SendAsync(EtcdMember member, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(member.ClientUrl + path)) { Content = JsonContent.Create(body) };
        if (_rootToken is { } token)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        return await _http.SendAsync(request);
    }

    private async Task<JsonElement?> PostAsync(EtcdMember member, string path, object body)
    {
        try
        {
            using var reply = await SendAsync(member, path, body);
            return reply.IsSuccessStatusCode ? await reply.Content.ReadFromJsonAsync<JsonElement>() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static long Number(JsonElement kv, string name) =>
        kv.TryGetProperty(name, out var value) ? long.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static HttpClientHandler Handler(EtcdTls? tls)
    {
        var handler = new HttpClientHandler();
        if (tls is not null)
        {
            // Administrative calls of a test's own etcd: its CA is the test's, and the client certificate proves who calls.
            handler.ClientCertificates.Add(X509CertificateLoader.LoadPkcs12(
                X509Certificate2.CreateFromPemFile(tls.ClientCertFile, tls.ClientKeyFile).Export(X509ContentType.Pkcs12), null));
            handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        }

        return handler;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string FindBinary()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var candidate = Path.Combine(directory, "etcd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "/usr/bin/etcd";
    }
}
