namespace MarchProxy.Load.Hosting;

/// <summary>
/// Where one host runs: its own folder under the temp directory with DATA_DIR and the standalone
/// config file, and its ports. Kept across restarts; deleted on dispose.
/// </summary>
public sealed class HostWorkspace : IDisposable
{
    public HostWorkspace(string seedConfigJson)
    {
        Root = Path.Combine(Path.GetTempPath(), "marchproxy-load", Guid.NewGuid().ToString("N"));
        DataDir = Path.Combine(Root, "data");
        Directory.CreateDirectory(DataDir);
        ConfigFile = Path.Combine(Root, "alb.json");
        File.WriteAllText(ConfigFile, seedConfigJson);
        Ports = HostPorts.Allocate();
    }

    public string Root { get; }

    public string DataDir { get; }

    public string ConfigFile { get; }

    public HostPorts Ports { get; }

    public string LogFile(int start) => Path.Combine(Root, $"host-{start}.log");

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
