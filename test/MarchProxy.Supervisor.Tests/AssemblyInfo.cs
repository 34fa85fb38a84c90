using System.Runtime.Versioning;

// The lifecycle tests run real processes and signal them (POSIX signals, /proc): Linux only, like Envoy's hot restart.
[assembly: SupportedOSPlatform("linux")]

// Each test has its own directory, ports, base id and ADS server, and much of a lifecycle test is
// waiting on a process; fixtures run two at a time.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
