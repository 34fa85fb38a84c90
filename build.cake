// MarchProxy ALB build script. Run with: dotnet tool restore && dotnet cake --target=<Target>
// Targets: Clean, Restore, Build, Test (unit + interop), TestUnit, TestInterop, Format, Bench, Load, Publish, Pack, Docker.
// TestUnit publishes the host to artifacts/publish first: the whole-process tests (test/MarchProxy.Process.Tests) run that build.
using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var benchFilter = Argument("bench-filter", "*");
// The load harness (test/MarchProxy.Load): profile short or full, an optional baseline publish folder, extra harness arguments.
var loadProfile = Argument("load-profile", "short");
var loadOut = Argument("load-out", "artifacts/load");
var baselineHost = Argument("baseline-host", "");
var loadArgs = Argument("load-args", "");

var root = MakeAbsolute(Directory("."));
var solution = root.CombineWithFilePath("MarchProxy.sln");
var artifacts = root.Combine("artifacts");
var testResults = artifacts.Combine("test-results");
var interopDir = root.Combine("test/interop");
var hostProject = root.CombineWithFilePath("src/MarchProxy.Alb/MarchProxy.Alb.csproj");

// Counts gathered from the result files (TRX for .NET, JUnit XML for the Node suites).
var totals = new TestTotals();
string summaryLine = null;

Task("Clean")
    .Does(() =>
{
    CleanDirectory(artifacts);
    DotNetClean(solution.FullPath, new DotNetCleanSettings { Configuration = configuration });
});

Task("Restore")
    .Does(() =>
{
    DotNetRestore(solution.FullPath);
});

Task("Build")
    .IsDependentOn("Restore")
    .Does(() =>
{
    DotNetBuild(solution.FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoRestore = true,
    });
});

Task("PublishForTests")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The whole-process tests start the published host, exactly as an operator runs it.
    DotNetPublish(hostProject.FullPath, new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("publish"),
        NoBuild = true,
        NoRestore = true,
    });
});

Task("TestPrerequisites")
    .WithCriteria(IsRunningOnUnix())
    .Does(() =>
{
    // etcd-server for the fleet tests and libre2-dev for the RE2 cross-check, when missing.
    var exit = StartProcess("bash", new ProcessSettings { Arguments = root.CombineWithFilePath("test/install-prerequisites.sh").FullPath });
    if (exit != 0)
    {
        Warning("test/install-prerequisites.sh exited with {0}", exit);
    }
});

Task("TestUnit")
    .IsDependentOn("TestPrerequisites")
    .IsDependentOn("Build")
    .IsDependentOn("PublishForTests")
    .Does(() =>
{
    EnsureDirectoryExists(testResults);
    CleanDirectory(testResults);
    foreach (var project in GetFiles("test/**/*.Tests.csproj"))
    {
        var name = project.GetFilenameWithoutExtension().ToString();
        try
        {
            DotNetTest(project.FullPath, new DotNetTestSettings
            {
                Configuration = configuration,
                NoBuild = true,
                NoRestore = true,
                ResultsDirectory = testResults,
                Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=normal" },
            });
        }
        catch (Exception ex)
        {
            // Keep going so every suite reports; the summary decides the exit code.
            Warning($"{name}: {ex.Message}");
            totals.Errors.Add(name);
        }
    }
    foreach (var trx in GetFiles(testResults.FullPath + "/*.trx"))
    {
        totals.AddTrx(trx.FullPath);
    }
});

Task("TestInterop")
    .IsDependentOn("Build")
    .Does(() =>
{
    EnsureDirectoryExists(testResults);
    var npm = IsRunningOnWindows() ? "npm.cmd" : "npm";
    RunOrThrow(npm, "ci --no-audit --no-fund", interopDir);
    var junit = testResults.CombineWithFilePath("interop.junit.xml");
    var env = new Dictionary<string, string>
    {
        ["MARCHPROXY_ALB_DLL"] = root.CombineWithFilePath($"src/MarchProxy.Alb/bin/{configuration}/net10.0/MarchProxy.Alb.dll").FullPath,
        ["MARCHPROXY_FAKE_ENVOY_DLL"] = root.CombineWithFilePath($"test/MarchProxy.FakeEnvoy/bin/{configuration}/net10.0/MarchProxy.FakeEnvoy.dll").FullPath,
        ["MARCHPROXY_RESOURCE_DUMP_DLL"] = root.CombineWithFilePath($"test/MarchProxy.ResourceDump/bin/{configuration}/net10.0/MarchProxy.ResourceDump.dll").FullPath,
    };
    var exit = StartProcess("node", new ProcessSettings
    {
        Arguments = $"--test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=\"{junit.FullPath}\"",
        WorkingDirectory = interopDir,
        EnvironmentVariables = env,
    });
    if (FileExists(junit))
    {
        totals.AddJUnit(junit.FullPath);
    }
    else
    {
        totals.Errors.Add("interop (no results file)");
    }
    if (exit != 0)
    {
        Warning($"interop suite exited with {exit}");
    }
});

Task("Test")
    .IsDependentOn("TestUnit")
    .IsDependentOn("TestInterop")
    .Does(() =>
{
    Information($"Test results: {testResults.FullPath}");
    if (totals.Errors.Count > 0)
    {
        Warning("Suites that did not pass: " + string.Join(", ", totals.Errors));
    }
    summaryLine = totals.ToString();
});

Task("Format")
    .Does(() =>
{
    RunOrThrow("dotnet", $"format \"{solution.FullPath}\" --verify-no-changes", root);
});

Task("Load")
    .IsDependentOn("Publish")
    .Does(() =>
{
    var harness = root.CombineWithFilePath("test/MarchProxy.Load/MarchProxy.Load.csproj");
    DotNetBuild(harness.FullPath, new DotNetBuildSettings { Configuration = configuration });
    var dll = root.CombineWithFilePath($"test/MarchProxy.Load/bin/{configuration}/net10.0/MarchProxy.Load.dll");
    var arguments = $"\"{dll.FullPath}\" --profile {loadProfile} --host \"{artifacts.Combine("publish").FullPath}\" --out \"{MakeAbsolute(Directory(loadOut)).FullPath}\"";
    if (!string.IsNullOrEmpty(baselineHost))
    {
        arguments += $" --baseline-host \"{MakeAbsolute(Directory(baselineHost)).FullPath}\"";
    }
    RunOrThrow("dotnet", $"{arguments} {loadArgs}", root);
});

Task("Bench")
    .IsDependentOn("Load")
    .Does(() =>
{
    RunOrThrow("dotnet", $"run -c Release --project test/MarchProxy.Benchmarks -- --filter \"{benchFilter}\" --artifacts \"{artifacts.Combine("benchmarks").FullPath}\"", root);
});

Task("Publish")
    .Does(() =>
{
    DotNetPublish(hostProject.FullPath, new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = artifacts.Combine("publish"),
        SelfContained = false,
    });
    Information($"Published to {artifacts.Combine("publish").FullPath}; run with: dotnet {artifacts.Combine("publish").FullPath}/MarchProxy.Alb.dll");
});

Task("Pack")
    .Does(() =>
{
    // MarchProxy.Client (with MarchProxy.Protos, its dependency) and the marchproxy .NET tool.
    var packages = artifacts.Combine("packages");
    EnsureDirectoryExists(packages);
    foreach (var project in new[] { "src/MarchProxy.Protos/MarchProxy.Protos.csproj", "src/MarchProxy.Client/MarchProxy.Client.csproj", "src/MarchProxy.Cli/MarchProxy.Cli.csproj" })
    {
        DotNetPack(root.CombineWithFilePath(project).FullPath, new DotNetPackSettings
        {
            Configuration = configuration,
            OutputDirectory = packages,
        });
    }
    Information($"Packages in {packages.FullPath}; install the tool with: dotnet tool install --global --add-source {packages.FullPath} MarchProxy.Cli");
});

Task("Docker")
    .Does(() =>
{
    // `docker --version` only proves a client exists; `docker info` proves an engine answers.
    var probe = StartProcess("docker", new ProcessSettings { Arguments = "info", RedirectStandardOutput = true, RedirectStandardError = true });
    if (probe != 0)
    {
        Warning("No Docker engine is reachable here (`docker info` failed), so the image was not built. Run this target where a Docker engine runs.");
        return;
    }
    RunOrThrow("docker", "build -f deploy/Dockerfile -t marchproxy-alb:dev .", root);
});

RunTarget(target);

if (summaryLine != null)
{
    foreach (var failure in totals.Failures)
    {
        Console.WriteLine("FAILED " + failure);
    }
    // The last line is the plain "N passed, N failed[, N skipped]" that CI reads.
    Console.WriteLine(summaryLine);
    System.Environment.Exit(totals.Failed == 0 && totals.Errors.Count == 0 && totals.Passed > 0 ? 0 : 1);
}

void RunOrThrow(string tool, string arguments, DirectoryPath workingDirectory)
{
    var exit = StartProcess(tool, new ProcessSettings { Arguments = arguments, WorkingDirectory = workingDirectory });
    if (exit != 0)
    {
        throw new Exception($"`{tool} {arguments}` exited with {exit}");
    }
}

sealed class TestTotals
{
    public int Passed;
    public int Failed;
    public int Skipped;
    public List<string> Errors { get; } = new List<string>();
    // "suite: test — first lines of the message", so a CI log that keeps only its tail still names what failed.
    public List<string> Failures { get; } = new List<string>();

    static string Brief(string message)
    {
        var text = (message ?? "").Trim();
        return text.Length <= 600 ? text : text.Substring(0, 600) + " …";
    }

    public void AddTrx(string path)
    {
        var doc = XDocument.Load(path);
        foreach (var result in doc.Descendants().Where(e => e.Name.LocalName == "UnitTestResult"))
        {
            switch ((string)result.Attribute("outcome"))
            {
                case "Passed": Passed++; break;
                case "Failed": case "Error": case "Timeout": case "Aborted":
                    Failed++;
                    var message = result.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
                    Failures.Add($"{System.IO.Path.GetFileNameWithoutExtension(path)}: {(string)result.Attribute("testName")} — {Brief(message)}");
                    break;
                default: Skipped++; break;
            }
        }
    }

    public void AddJUnit(string path)
    {
        var doc = XDocument.Load(path);
        foreach (var testCase in doc.Descendants("testcase"))
        {
            // Node's reporter also writes a <testcase> for each describe() block that holds tests; count leaves only.
            if (testCase.Descendants("testcase").Any())
            {
                continue;
            }
            var failure = testCase.Elements("failure").Concat(testCase.Elements("error")).FirstOrDefault();
            if (failure != null)
            {
                Failed++;
                Failures.Add($"interop: {(string)testCase.Attribute("name")} — {Brief((string)failure.Attribute("message") ?? failure.Value)}");
            }
            else if (testCase.Elements("skipped").Any()) Skipped++;
            else Passed++;
        }
    }

    public override string ToString() =>
        Skipped > 0 ? $"{Passed} passed, {Failed} failed, {Skipped} skipped" : $"{Passed} passed, {Failed} failed";
}
