using System.Reflection;
using MarchProxy.Alb.State.Standalone;
using MarchProxy.Cli.Config;

namespace MarchProxy.Cli.Tests.Config;

/// <summary>The tool's file model and the ALB's standalone config have the same shape, so neither drifts alone.</summary>
public sealed class FileModelDriftTests
{
    [Test]
    public void FileModel_EveryRouteAndClusterProperty_MatchesTheStandaloneConfig()
    {
        var differences = new List<string>();

        Compare("Proxy", typeof(FileProxySection), typeof(StandaloneProxyConfig), differences);

        differences.Should().BeEmpty();
    }

    private static void Compare(string path, Type cli, Type alb, List<string> differences)
    {
        var cliProperties = cli.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var albProperties = alb.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.Ordinal);
        differences.AddRange(albProperties.Keys.Except(cliProperties.Keys).Select(name => $"{path}:{name} is missing from the tool's {cli.Name}"));
        differences.AddRange(cliProperties.Keys.Except(albProperties.Keys).Select(name => $"{path}:{name} is not in the ALB's {alb.Name}"));
        foreach (var name in cliProperties.Keys.Intersect(albProperties.Keys).Where(n => !(path == "Proxy" && n == "Listeners")))
        {
            var cliType = Element(cliProperties[name].PropertyType);
            var albType = Element(albProperties[name].PropertyType);
            if (IsModel(cliType) != IsModel(albType) || (!IsModel(cliType) && cliType != albType))
            {
                differences.Add($"{path}:{name} is {cliType.Name} in the tool but {albType.Name} in the ALB");
            }
            else if (IsModel(cliType))
            {
                Compare($"{path}:{name}", cliType, albType, differences);
            }
        }
    }

    /// <summary>The value type of a dictionary or list, without Nullable.</summary>
    private static Type Element(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            type = type.GetGenericArguments()[1];
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            type = type.GetGenericArguments()[0];
        }

        return Nullable.GetUnderlyingType(type) ?? type;
    }

    private static bool IsModel(Type type) => type.IsClass && type != typeof(string);
}
