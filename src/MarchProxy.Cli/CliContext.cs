namespace MarchProxy.Cli;

/// <summary>
/// Everything the tool takes from its process: the output streams, standard input (for <c>-f -</c>),
/// the environment and the working directory. Tests pass their own, so the tool runs in process.
/// </summary>
public sealed class CliContext
{
    public CliContext(
        TextWriter output,
        TextWriter error,
        Func<string, string?> environment,
        string workingDirectory,
        TextReader? input = null,
        bool ansi = false,
        int? width = null,
        bool handleProcessTermination = false)
    {
        HandleProcessTermination = handleProcessTermination;
        Output = output;
        Error = error;
        Environment = environment;
        WorkingDirectory = workingDirectory;
        Input = input ?? TextReader.Null;
        Ansi = ansi;
        Width = width;
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public TextReader Input { get; }

    /// <summary>Reads an environment variable (null when unset).</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>Relative file names are resolved against this folder.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Colours and styles (a terminal); false for plain text.</summary>
    public bool Ansi { get; }

    /// <summary>The width tables are laid out for; null means the terminal's (or 80).</summary>
    public int? Width { get; }

    /// <summary>Whether Ctrl+C and SIGTERM cancel the running command (the real process only).</summary>
    public bool HandleProcessTermination { get; }

    public static CliContext FromProcess()
    {
        var terminal = !Console.IsOutputRedirected && System.Environment.GetEnvironmentVariable("NO_COLOR") is null;

        // When piped, lay tables out wide rather than wrap them at 80 columns.
        int? width = Console.IsOutputRedirected ? 200 : null;
        return new CliContext(Console.Out, Console.Error, System.Environment.GetEnvironmentVariable, System.Environment.CurrentDirectory, Console.In, terminal, width, handleProcessTermination: true);
    }

    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(WorkingDirectory, path));
}
