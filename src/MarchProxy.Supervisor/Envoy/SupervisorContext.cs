using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>What the supervisor's parts share. Everything here is used from the owner task only, except the board and the command writer.</summary>
internal sealed record SupervisorContext(
    EnvoyOptions Options,
    string Binary,
    IEnvoyAdminClient Admin,
    IEnvoyConfigAcceptance Acceptance,
    StatusBoard Board,
    SupervisorClocks Clocks,
    ChannelWriter<SupervisorCommand> Commands,
    ILogger Logger)
{
    public DateTimeOffset Now => Clocks.Lifecycle.GetUtcNow();

    public string BootstrapPath => BootstrapWriter.PathIn(Options.DataDir);

    /// <summary>Waits one poll interval, or less when <paramref name="process"/> exits first.</summary>
    public async Task PollDelayAsync(EnvoyProcess? process, CancellationToken cancellationToken)
    {
        var delay = Task.Delay(Options.ReadinessPollInterval, Clocks.Poll, cancellationToken);
        if (process is not null)
        {
            await Task.WhenAny(delay, process.Exited).ConfigureAwait(false);
        }
        else
        {
            await delay.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The failures of an admin call that mean "Envoy did not answer properly", as opposed to bugs.</summary>
    public static bool IsAdminFailure(Exception exception) =>
        exception is HttpRequestException or TimeoutException or EnvoyAdminException;
}
