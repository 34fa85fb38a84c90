using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace MarchProxy.Supervisor.Envoy;

/// <summary>
/// Runs <c>envoy --mode validate -c &lt;bootstrap&gt;</c>. Validation opens no socket and does no hot restart,
/// so it never disturbs a running Envoy. It runs before every start and every hot restart.
/// </summary>
internal static class BootstrapValidator
{
    private const int MaxOutput = 4 * 1024;

    public static async Task<ValidationOutcome> ValidateAsync(
        string binary, string bootstrapPath, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in EnvoyCommandLine.Validate(bootstrapPath))
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return new ValidationOutcome(false, null, $"could not run '{binary}': {ex.Message}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            return new ValidationOutcome(false, null, $"'--mode validate' did not finish within {timeout}");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = new StringBuilder().Append(await stdout.ConfigureAwait(false)).Append(await stderr.ConfigureAwait(false)).ToString().Trim();
        if (output.Length > MaxOutput)
        {
            output = "…" + output[^MaxOutput..];
        }

        return new ValidationOutcome(process.ExitCode == 0, process.ExitCode, output);
    }
}

/// <summary>The result of <c>--mode validate</c>.</summary>
internal sealed record ValidationOutcome(bool IsValid, int? ExitCode, string Output);
