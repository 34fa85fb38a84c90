using System.Diagnostics;
using System.Text;

namespace MarchProxy.Testing;

/// <summary>One etcd process of an <see cref="EtcdCluster"/>: its ports, data directory, and start/stop.</summary>
public sealed class EtcdMember : IDisposable
{
    private readonly string _initialCluster;
    private readonly string _token;
    private readonly EtcdTls? _tls;
    private readonly StringBuilder _output = new();
    private Process? _process;

    internal EtcdMember(string name, string dataDir, int clientPort, int peerPort, string initialCluster, string token, EtcdTls? tls)
    {
        _tls = tls;
        Name = name;
        DataDir = dataDir;
        ClientPort = clientPort;
        PeerPort = peerPort;
        _initialCluster = initialCluster;
        _token = token;
    }

    public string Name { get; }

    public string DataDir { get; }

    public int ClientPort { get; }

    public int PeerPort { get; }

    public string ClientUrl => $"{(_tls is null ? "http" : "https")}://127.0.0.1:{ClientPort}";

    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What etcd wrote (for a failure message).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the process (again, on the same ports and data, after <see cref="Kill"/>).</summary>
    public void Start()
    {
        var start = new ProcessStartInfo(EtcdCluster.Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--name", Name,
            "--data-dir", DataDir,
            "--listen-client-urls", ClientUrl,
            "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", PeerUrl,
            "--initial-advertise-peer-urls", PeerUrl,
            "--initial-cluster", _initialCluster,
            "--initial-cluster-token", _token,
            "--initial-cluster-state", "new",
            // Fast elections: a stopped leader is replaced in about a second.
            "--heartbeat-interval", "50",
            "--election-timeout", "500",
            "--logger", "zap",
            "--log-level", "error",
        ])
        {
            start.ArgumentList.Add(argument);
        }

        if (_tls is { } tls)
        {
            foreach (var argument in (string[])["--cert-file", tls.ServerCertFile, "--key-file", tls.ServerKeyFile, "--trusted-ca-file", tls.CaFile, "--client-cert-auth"])
            {
                start.ArgumentList.Add(argument);
            }
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>SIGKILL: etcd stops at once, as on a crash or a lost machine.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
            _process = null;
        }
    }

    public void Dispose() => Kill();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }
}
