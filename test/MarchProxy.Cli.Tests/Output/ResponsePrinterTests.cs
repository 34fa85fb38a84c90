using Grpc.Core;
using MarchProxy.Api.V1;
using MarchProxy.Cli.Output;
using MarchProxy.Client;
using Spectre.Console;

namespace MarchProxy.Cli.Tests.Output;

public sealed class ResponsePrinterTests
{
    [Test]
    public void Print_AnyResponse_ShowsEverySetFieldByItsProtoName()
    {
        var writer = new StringWriter();
        var response = new TrafficWeightResponse { Success = true, Message = "weights set", Version = 9, Ack = new AckStatus { AckedNodes = 2 } };
        response.AppliedWeights.Add(new TrafficWeight { BackendName = "blue", Weight = 90 });

        ResponsePrinter.Print(Console(writer), response);

        writer.ToString().Should().Contain("✓ weights set").And.Contain("applied_weights: [{ \"backend_name\": \"blue\", \"weight\": 90 }]")
            .And.Contain("version: 9").And.Contain("ack: 2 node(s) ACKed, 0 pending");
    }

    [Test]
    public void Print_FailedResponse_IsMarkedAsFailed()
    {
        var writer = new StringWriter();

        ResponsePrinter.Print(Console(writer), new ReloadResponse { Success = false, Message = "hot restart failed" });

        writer.ToString().Should().StartWith("✗ hot restart failed");
    }

    [Test]
    public void Report_AckTimeout_ExitsTimeoutAndSaysTheChangeIsApplied()
    {
        var error = new StringWriter();
        var context = new CliContext(new StringWriter(), error, _ => null, ".", width: 200);
        using var session = new CommandSession(context, OutputFormat.Table, new MarchProxyClientOptions());
        var timeout = new MarchProxyException(StatusCode.DeadlineExceeded, "version 5 is applied but not yet ACKed", [], "ACK_TIMEOUT", 5, null);

        var exitCode = ErrorReporter.Report(session, timeout);

        exitCode.Should().Be(ExitCodes.Timeout);
        error.ToString().Should().Contain("DEADLINE_EXCEEDED").And.Contain("the change is applied as version 5");
    }

    private static IAnsiConsole Console(StringWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Out = new AnsiConsoleOutput(writer),
    });
}
