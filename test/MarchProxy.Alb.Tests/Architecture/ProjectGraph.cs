using System.Xml.Linq;

namespace MarchProxy.Alb.Tests.Architecture;

/// <summary>The repository's project references, read from every .csproj under the given folders.</summary>
public static class ProjectGraph
{
    /// <summary>Project name → the names of the projects it references.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Read(params string[] folders)
    {
        var edges = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var project in folders.SelectMany(f => Directory.EnumerateFiles(f, "*.csproj", SearchOption.AllDirectories)))
        {
            var directory = Path.GetDirectoryName(project)!;
            edges[Path.GetFileNameWithoutExtension(project)] = XDocument.Load(project)
                .Descendants("ProjectReference")
                .Select(r => (string?)r.Attribute("Include"))
                .OfType<string>()
                .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))
                .ToHashSet(StringComparer.Ordinal);
        }

        return edges;
    }
}
