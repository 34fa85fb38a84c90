using System.Text.Json;
using Google.Protobuf;
using MarchProxy.Cli.Output;
using MarchProxy.Client;
using Spectre.Console;

namespace MarchProxy.Cli;

/// <summary>One command's run: where output goes, in which format, and the API client (created on first use).</summary>
public sealed class CommandSession : IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    private readonly Lazy<MarchProxyClient> _client;

    public CommandSession(CliContext context, OutputFormat format, MarchProxyClientOptions clientOptions)
    {
        Context = context;
        Format = format;
        ClientOptions = clientOptions;
        Out = CreateConsole(context, context.Output);
        Err = CreateConsole(context, context.Error);
        _client = new Lazy<MarchProxyClient>(() => new MarchProxyClient(clientOptions));
    }

    public CliContext Context { get; }

    public OutputFormat Format { get; }

    public bool Json => Format == OutputFormat.Json;

    public MarchProxyClientOptions ClientOptions { get; }

    public MarchProxyClient Client => _client.Value;

    /// <summary>Standard output, for results.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Standard error, for errors, warnings and progress.</summary>
    public IAnsiConsole Err { get; }

    public void WriteJson(IMessage message, bool indented = true) =>
        Context.Output.WriteLine(ProtoJson.Format(message, indented));

    public void WriteJsonObject<T>(T value) => Context.Output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>A mutation's answer: JSON, or the message and every set field.</summary>
    public void WriteResponse(IMessage response)
    {
        if (Json)
        {
            WriteJson(response);
        }
        else
        {
            ResponsePrinter.Print(Out, response);
        }
    }

    public void Warn(string text) => Err.MarkupLine($"[yellow]warning:[/] {Markup.Escape(text)}");

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private static IAnsiConsole CreateConsole(CliContext context, TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = context.Ansi ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = context.Ansi ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (context.Width is { } width)
        {
            console.Profile.Width = width;
        }

        return console;
    }
}
