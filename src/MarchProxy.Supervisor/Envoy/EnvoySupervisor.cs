using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// <see cref="IEnvoySupervisor"/> and the hosted service that runs it. StartAsync decides between
/// supervising and control-plane-only mode and starts the owner loop; StopAsync (called once by the
/// host's shutdown sequence, then again by the host) asks the loop for one graceful stop and, if the
/// caller stops waiting, kills Envoy so that nothing is left unmanaged.
/// </summary>
internal sealed class EnvoySupervisor : IEnvoySupervisor, IHostedService, IAsyncDisposable, IDisposable
{
    private const int CommandCapacity = 32;

    private readonly EnvoyOptions _options;
    private readonly IEnvoyConfigAcceptance _acceptance;
    private readonly IEnvoyAdminClient _admin;
    private readonly SupervisorClocks _clocks;
    private readonly ILogger _logger;
    private readonly Func<string?> _pathVariable;
    private readonly StatusBoard _board = new();
    private readonly CancellationTokenSource _force = new();
    private readonly Channel<SupervisorCommand> _commands = Channel.CreateBounded<SupervisorCommand>(
        new BoundedChannelOptions(CommandCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Lock _stopGate = new();
    private SupervisorLoop? _loop;
    private Task? _running;
    private Task? _stopping;

    public EnvoySupervisor(
        IOptions<EnvoyOptions> options,
        IEnvoyConfigAcceptance acceptance,
        IEnvoyAdminClient admin,
        TimeProvider timeProvider,
        ILogger<EnvoySupervisor> logger)
        : this(options.Value, acceptance, admin, SupervisorClocks.From(timeProvider), logger, () => Environment.GetEnvironmentVariable("PATH"))
    {
    }

    internal EnvoySupervisor(
        EnvoyOptions options,
        IEnvoyConfigAcceptance acceptance,
        IEnvoyAdminClient admin,
        SupervisorClocks clocks,
        ILogger logger,
        Func<string?> pathVariable)
    {
        _options = options;
        _acceptance = acceptance;
        _admin = admin;
        _clocks = clocks;
        _logger = logger;
        _pathVariable = pathVariable;
    }

    public EnvoyState State => _board.Current.State;

    public string? EnvoyVersion => _board.Current.EnvoyVersion;

    public int Epoch => _board.Current.Epoch;

    public long RestartCount => _board.Current.RestartCount;

    public long CrashLoopCount => _board.Current.CrashLoopCount;

    public bool IsSupervising => _board.Current.IsSupervising;

    public bool IsReady => _board.Current is { IsSupervising: true, IsServing: true } && _acceptance.HasAcceptedInitialConfig;

    public bool IsHealthy => _board.Current.IsHealthy;

    public string? AbsentReason => _board.Current.AbsentReason;

    public EnvoyStatus GetStatus() => _board.Current;

    public IChangeToken GetChangeToken() => _board.GetChangeToken();

    public async Task<HotRestartResult> HotRestartAsync(CancellationToken cancellationToken = default)
    {
        var status = _board.Current;
        if (!status.IsSupervising)
        {
            return HotRestartResult.Failure(HotRestartOutcome.NotSupervised, 0, $"no Envoy is supervised: {status.AbsentReason}");
        }

        if (_running is null || _running.IsCompleted)
        {
            return HotRestartResult.Failure(HotRestartOutcome.NotLive, status.Epoch, "the supervisor is not running");
        }

        var result = new TaskCompletionSource<HotRestartResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_commands.Writer.TryWrite(new SupervisorCommand.HotRestart(result)))
        {
            return HotRestartResult.Failure(HotRestartOutcome.Busy, status.Epoch, "too many supervisor commands are queued");
        }

        return await result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_running is not null)
        {
            return Task.CompletedTask;
        }

        string? binary = null;
        var reason = "disabled by configuration (Envoy:Enabled=false, ENVOY_ENABLED=false)";
        if (_options.Enabled)
        {
            binary = EnvoyBinaryLocator.Locate(_options.BinaryPath, _pathVariable(), out reason);
        }

        if (binary is null)
        {
            SupervisorLog.EnvoyAbsent(_logger, reason);
            _board.Update(s => s with { State = EnvoyState.Absent, IsSupervising = false, AbsentReason = reason });
            _running = Task.CompletedTask;
            return Task.CompletedTask;
        }

        var context = new SupervisorContext(_options, binary, _admin, _acceptance, _board, _clocks, _commands.Writer, _logger);
        _loop = new SupervisorLoop(context, _commands.Reader);
        _running = Task.Run(() => RunLoopAsync(_loop), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops Envoy gracefully and ends the loop. The stop command is sent whatever the state of
    /// <paramref name="cancellationToken"/>, and only once: a later call (the host's own stop after the
    /// shutdown sequence) waits for the same stop. When the token fires first, every Envoy process is
    /// killed, so nothing is left unmanaged.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null || _running is null)
        {
            return;
        }

        var stopping = RequestStop();
        try
        {
            await stopping.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller stops waiting: never leave Envoy running unmanaged.
            await _force.CancelAsync().ConfigureAwait(false);
            await _running.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is { IsCompleted: false } running)
        {
            await _force.CancelAsync().ConfigureAwait(false);
            await running.ConfigureAwait(false);
        }

        _force.Dispose();
        _board.Dispose();
    }

    /// <summary>
    /// Synchronous disposal (a container disposed without DisposeAsync): asks the loop to kill Envoy and
    /// returns without waiting; the owner task does the killing.
    /// </summary>
    public void Dispose()
    {
        if (_running is { IsCompleted: false })
        {
            _force.Cancel();
            return;
        }

        _force.Dispose();
        _board.Dispose();
    }

    private Task RequestStop()
    {
        lock (_stopGate)
        {
            return _stopping ??= SendStopAsync();
        }
    }

    private async Task SendStopAsync()
    {
        var running = _running!;
        if (!running.IsCompleted)
        {
            try
            {
                // Not the caller's token: the command must reach the loop even when the caller has given up.
                await _commands.Writer.WriteAsync(new SupervisorCommand.Stop(), _force.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
            {
                // The loop has ended on its own (it failed) or is being killed; there is nothing left to stop.
            }
        }

        await running.ConfigureAwait(false);
    }

    private async Task RunLoopAsync(SupervisorLoop loop)
    {
        try
        {
            await loop.RunAsync(_force.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in the loop: kill what it owned, and show it as Failed rather than pretending all is well.
            SupervisorLog.SupervisorFailed(_logger, ex);
            loop.KillEverything();
            _board.Update(s => s with { State = EnvoyState.Failed, IsServing = false, LastError = $"supervisor loop failed: {ex.Message}" });
        }
        finally
        {
            // Close the channel first, so no hot restart can be queued after the last one is answered.
            _commands.Writer.TryComplete();
            while (_commands.Reader.TryRead(out var command))
            {
                if (command is SupervisorCommand.HotRestart pending)
                {
                    pending.Result.TrySetResult(HotRestartResult.Failure(HotRestartOutcome.Busy, _board.Current.Epoch, "the supervisor has stopped"));
                }
            }
        }
    }
}
