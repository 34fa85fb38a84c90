using MarchProxy.Load;
using MarchProxy.Load.Machine;

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}\n\n{HarnessOptions.Usage}");
    return 2;
}

var (soft, _) = FileLimits.Read();
if (FileLimits.Check(options.Profile.MaxStreams, soft) is { } limitProblem)
{
    Console.Error.WriteLine($"error: {limitProblem}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var log = new RunLog(Console.Error, TimeProvider.System);
try
{
    var results = await new Harness(options, TimeProvider.System, log).RunAsync(cancel.Token);
    return RunVerdict.IsComplete(results, out var reason) ? 0 : Fail(reason);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}

int Fail(string reason)
{
    log.Info($"the run is incomplete: {reason}");
    return 1;
}
