namespace MarchProxy.Load.Hosting;

/// <summary>A built ALB to measure: a folder holding MarchProxy.Alb.dll (a publish or build output), and its label in the results.</summary>
public sealed record HostBuild(string Label, string Directory)
{
    public const string AssemblyName = "MarchProxy.Alb.dll";

    public string DllPath => Path.Combine(Directory, AssemblyName);

    /// <summary>The folder as given, or the error that makes it unusable.</summary>
    public static HostBuild Resolve(string label, string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!File.Exists(Path.Combine(full, AssemblyName)))
        {
            throw new ArgumentException(
                $"{full} holds no {AssemblyName}; publish the host first: dotnet publish src/MarchProxy.Alb -c Release -o {directory}");
        }

        return new HostBuild(label, full);
    }
}
