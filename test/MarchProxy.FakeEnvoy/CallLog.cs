using System.Text;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// The ordered admin calls and signals this process received ("POST /healthcheck/fail",
/// "SIGNAL SIGTERM"), in memory for GET /fake/calls and appended to FAKE_ENVOY_CALL_LOG (one
/// "epoch entry" line each) so a test can read it after the process has exited.
/// </summary>
internal sealed class CallLog(int epoch, string? file)
{
    private const int Capacity = 1000;
    private readonly Lock _gate = new();
    private readonly Queue<string> _entries = new();

    public void Add(string entry)
    {
        lock (_gate)
        {
            _entries.Enqueue(entry);
            while (_entries.Count > Capacity)
            {
                _entries.Dequeue();
            }

            if (file is not null)
            {
                File.AppendAllText(file, $"{epoch} {entry}\n", Encoding.UTF8);
            }
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }
}
