using System.Diagnostics;
using System.Text;

namespace MarchProxy.ControlPlane.Tests.Re2;

/// <summary>
/// The real RE2 (Debian's libre2-dev), through a tiny C++ program compiled with g++ for the test run.
/// <see cref="TryCreateAsync"/> says why when the library or the compiler is missing.
/// </summary>
internal sealed class Re2Probe : IDisposable
{
    private readonly TempDirectory _dir;
    private readonly string _binary;

    private Re2Probe(TempDirectory dir, string binary)
    {
        _dir = dir;
        _binary = binary;
    }

    public static async Task<(Re2Probe? Probe, string Reason)> TryCreateAsync()
    {
        if (!File.Exists("/usr/include/re2/re2.h"))
        {
            return (null, "RE2's headers (/usr/include/re2/re2.h) are not installed: apt-get install libre2-dev (test/install-prerequisites.sh does)");
        }

        var dir = new TempDirectory();
        var source = Path.Combine(AppContext.BaseDirectory, "Re2", "re2probe.cc");
        var binary = dir.Combine("re2probe");
        int exit;
        string output;
        try
        {
            (exit, output) = await RunAsync("g++", ["-O1", "-o", binary, source, "-lre2"]);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            dir.Dispose();
            return (null, $"g++ is not available: {ex.Message}");
        }

        if (exit != 0)
        {
            dir.Dispose();
            return (null, $"g++ could not build the RE2 probe (exit {exit}): {output}");
        }

        return (new Re2Probe(dir, binary), string.Empty);
    }

    /// <summary>RE2's verdict for each pattern: its program size, or -1 when RE2 refuses it.</summary>
    public async Task<int[]> ProgramSizesAsync(IReadOnlyList<string> patterns)
    {
        var input = string.Concat(patterns.Select(p => Convert.ToHexString(Encoding.UTF8.GetBytes(p)) + "\n"));
        var (exit, output) = await RunAsync(_binary, [], input);
        exit.Should().Be(0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(patterns.Count);
        return [.. lines.Select(l => l.StartsWith("ok ", StringComparison.Ordinal) ? int.Parse(l[3..], System.Globalization.CultureInfo.InvariantCulture) : -1)];
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] arguments, string? input = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input ?? string.Empty);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }
}
