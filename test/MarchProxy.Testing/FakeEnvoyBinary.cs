using System.Text;

namespace MarchProxy.Testing;

/// <summary>
/// A tiny shell script that execs the built fake Envoy (<c>exec dotnet MarchProxy.FakeEnvoy.dll "$@"</c>)
/// with FAKE_ENVOY_* variables exported, so the supervisor can use it as its Envoy binary. Rewriting it
/// (atomically) changes how the next process started from it behaves.
/// </summary>
public sealed class FakeEnvoyBinary
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public FakeEnvoyBinary(string directory)
    {
        ScriptPath = Path.Combine(directory, "envoy");
        Write();
    }

    public static string DllPath => FakeEnvoyLocation.DllPath;

    public static string DotnetPath => FakeEnvoyLocation.DotnetPath;

    public string ScriptPath { get; }

    /// <summary>Sets (or with null removes) a FAKE_ENVOY_* variable for processes started from now on.</summary>
    public FakeEnvoyBinary Set(string name, string? value)
    {
        if (value is null)
        {
            _environment.Remove(name);
        }
        else
        {
            _environment[name] = value;
        }

        Write();
        return this;
    }

    private void Write()
    {
        var script = new StringBuilder("#!/bin/sh\n");
        foreach (var (name, value) in _environment)
        {
            script.Append("export ").Append(name).Append("='").Append(value.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        script.Append("exec '").Append(DotnetPath).Append("' '").Append(DllPath).Append("' \"$@\"\n");
        var temp = ScriptPath + ".tmp";
        File.WriteAllText(temp, script.ToString());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.Move(temp, ScriptPath, overwrite: true);
    }
}
