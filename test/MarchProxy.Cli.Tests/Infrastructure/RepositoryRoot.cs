namespace MarchProxy.Cli.Tests.Infrastructure;

/// <summary>The checkout the tests run from (the folder holding MarchProxy.sln).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "MarchProxy.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"MarchProxy.sln not found above {AppContext.BaseDirectory}");
    }
}
