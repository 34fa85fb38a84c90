using System.Globalization;

namespace MarchProxy.Load.Machine;

/// <summary>Samples /proc/loadavg on a timer until disposed.</summary>
public sealed class LoadSampler : IAsyncDisposable
{
    private readonly List<double> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoadSampler(TimeSpan interval, TimeProvider time)
    {
        _loop = RunAsync(interval, time, _stop.Token);
    }

    public static double Current()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path)
            ? double.Parse(File.ReadAllText(path).Split(' ')[0], CultureInfo.InvariantCulture)
            : double.NaN;
    }

    public LoadSummary Summary()
    {
        lock (_samples)
        {
            var current = Current();
            var all = _samples.Append(current).ToList();
            return new LoadSummary(all.Count, all.Min(), Math.Round(all.Average(), 2), all.Max(), _samples.Count > 0 ? _samples[0] : current, current);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // The sampler stops when the run ends.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            lock (_samples)
            {
                _samples.Add(Current());
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }
}
