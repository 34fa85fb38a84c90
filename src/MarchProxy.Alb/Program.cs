using MarchProxy.Alb.Hosting;

// The composition root: the command line (--help, --version) decides whether to run; AlbProgram runs
// the host composed in Hosting/AlbHost (shared with the functional tests) and turns the outcome into
// the exit code: 0 clean stop, 1 crash, 2 bad settings or a port in use.
return await AlbCommandLine.InvokeAsync(args);
