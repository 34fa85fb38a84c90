using MarchProxy.Alb.Hosting;

// The composition root: configuration, services and endpoints are composed in Hosting/AlbHost,
// which the functional tests share. Bad settings end the process with exit code 2 and a message
// that names each setting.
try
{
    var builder = AlbHost.CreateBuilder(args);
    AlbHost.AddServices(builder.Services);
    var app = builder.Build();
    AlbHost.MapEndpoints(app);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupErrors.IsConfigurationError(ex))
{
    await Console.Error.WriteLineAsync(StartupErrors.Describe(ex));
    return 2;
}
