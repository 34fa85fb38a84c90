using System.Threading.Channels;
using MarchProxy.Supervisor;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>
/// An <see cref="IEnvoyAdminClient"/> whose stats reads the test answers: each read is queued on
/// <see cref="Reads"/> and completes when the test completes its <see cref="PendingRead.Answer"/>
/// (or when the bridge cancels it).
/// </summary>
internal sealed class FakeEnvoyAdminClient : IEnvoyAdminClient
{
    private readonly Channel<PendingRead> _reads = Channel.CreateUnbounded<PendingRead>();
    private int _readCount;
    private string? _lastFilter;

    public ChannelReader<PendingRead> Reads => _reads.Reader;

    public int ReadCount => Volatile.Read(ref _readCount);

    public string? LastFilter => Volatile.Read(ref _lastFilter);

    /// <summary>When set, reads answer at once with this instead of waiting for the test.</summary>
    public Func<EnvoyStats>? AutoAnswer { get; set; }

    public async Task<EnvoyStats> GetStatsAsync(string? filter = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _readCount);
        Volatile.Write(ref _lastFilter, filter);
        if (AutoAnswer is { } answer)
        {
            return answer();
        }

        var read = new PendingRead();
        await _reads.Writer.WriteAsync(read, cancellationToken);
        return await read.Answer.Task.WaitAsync(cancellationToken);
    }

    public Task<EnvoyServerInfo> GetServerInfoAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<EnvoyReadiness> GetReadyAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<string> GetPrometheusStatsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task HealthcheckFailAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DrainListenersAsync(bool graceful, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task QuitAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    internal sealed class PendingRead
    {
        public TaskCompletionSource<EnvoyStats> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
