using MarchProxy.Cli;

return await CliApplication.RunAsync(args, CliContext.FromProcess());
