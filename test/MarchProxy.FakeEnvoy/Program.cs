using MarchProxy.FakeEnvoy;

// A stand-in for Envoy that behaves like it from the outside: its flags, --mode validate, its admin
// API, a real ADS client (SotW or delta), its signals and its hot restart. See FakeEnvoyServer.
var commandLine = FakeCommandLine.Parse(args, out var parseError);
if (commandLine is null)
{
    await Console.Error.WriteLineAsync(parseError);
    return 1;
}

var settings = FakeSettings.FromEnvironment();
if (commandLine.PrintVersion)
{
    Console.WriteLine($"envoy  version: {FakeEnvoyRuntime.Revision}/{settings.Version}/Clean/RELEASE/BoringSSL");
    return 0;
}

if (commandLine.PrintHotRestartVersion)
{
    Console.WriteLine(FakeEnvoyRuntime.HotRestartVersion);
    return 0;
}

var log = new FakeLog(commandLine.LogLevel);
var bootstrap = FakeBootstrap.Load(commandLine.ConfigPath, out var bootstrapError);
if (commandLine.Mode == "validate")
{
    if (bootstrap is null || settings.FailValidation)
    {
        await Console.Error.WriteLineAsync($"error initializing configuration '{commandLine.ConfigPath}': {(bootstrap is null ? bootstrapError : "rejected (FAKE_ENVOY_FAIL_VALIDATION)")}");
        return 1;
    }

    Console.WriteLine($"configuration '{commandLine.ConfigPath}' OK");
    return 0;
}

if (settings.CrashOnStart || (settings.CrashOnStartFile is { } crashFile && File.Exists(crashFile)))
{
    log.Critical("backtrace", "Caught Aborted, suspect faulting address 0x0 (simulated crash on start)");
    return 1;
}

if (bootstrap is null)
{
    log.Critical("main", $"error initializing configuration '{commandLine.ConfigPath}': {bootstrapError}");
    return 1;
}

var runtime = new FakeEnvoyRuntime(commandLine, bootstrap, settings, log);
FakeEnvoyServer.LoadStatsFile(runtime);
return await FakeEnvoyServer.RunAsync(runtime);
