namespace MarchProxy.Deploy.Tests.Infrastructure;

/// <summary>A Dockerfile as its instructions (continuation lines joined, comments dropped), split into stages.</summary>
public sealed class Dockerfile
{
    private Dockerfile(List<(string Instruction, string Arguments, int Stage)> instructions)
    {
        Instructions = instructions;
    }

    public List<(string Instruction, string Arguments, int Stage)> Instructions { get; }

    public int LastStage => Instructions.Max(i => i.Stage);

    public static Dockerfile Load(string path)
    {
        var instructions = new List<(string, string, int)>();
        var stage = -1;
        var pending = string.Empty;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            line = pending + line;
            pending = string.Empty;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var instruction = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var arguments = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            if (instruction == "FROM")
            {
                stage++;
            }

            instructions.Add((instruction, arguments, stage));
        }

        return new Dockerfile(instructions);
    }

    public IEnumerable<string> All(string instruction, int? stage = null) =>
        Instructions.Where(i => i.Instruction == instruction && (stage is null || i.Stage == stage)).Select(i => i.Arguments);

    /// <summary>ENV's name=value pairs (the form this project uses).</summary>
    public Dictionary<string, string> Environment(int stage) => All("ENV", stage)
        .SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
}
