using MarchProxy.Supervisor.Envoy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MarchProxy.Supervisor;

public static class SupervisorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Envoy supervisor (<see cref="IEnvoySupervisor"/>, also a hosted service), the admin
    /// client (<see cref="IEnvoyAdminClient"/>), <see cref="EnvoyOptions"/> with its validator (validated
    /// on start) and <see cref="TimeProvider.System"/> unless one is registered. The host binds the
    /// "Envoy" configuration section onto <see cref="EnvoyOptions"/> and registers its
    /// <see cref="IEnvoyConfigAcceptance"/>, which the supervisor requires.
    /// </summary>
    public static IServiceCollection AddEnvoySupervisor(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<EnvoyOptions, EnvoyOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(EnvoyAdminClient.HttpClientName, (provider, client) =>
        {
            var options = provider.GetRequiredService<IOptions<EnvoyOptions>>().Value;
            client.BaseAddress = AdminBaseAddress(options);
            client.Timeout = options.AdminRequestTimeout;
        })
            // The supervisor polls the admin API twice a second and logs what matters itself (once per
            // change); HttpClient's per-request logging would be hundreds of lines a minute.
            .RemoveAllLoggers();
        services.TryAddSingleton<IEnvoyAdminClient>(provider =>
            new EnvoyAdminClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(EnvoyAdminClient.HttpClientName)));
        services.TryAddSingleton<EnvoySupervisor>();
        services.TryAddSingleton<IEnvoySupervisor>(provider => provider.GetRequiredService<EnvoySupervisor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EnvoySupervisor>(provider => provider.GetRequiredService<EnvoySupervisor>()));
        return services;
    }

    /// <summary>http://AdminAddress:AdminPort/, with brackets around an IPv6 address.</summary>
    public static Uri AdminBaseAddress(EnvoyOptions options)
    {
        var host = options.AdminAddress.Contains(':', StringComparison.Ordinal) ? $"[{options.AdminAddress}]" : options.AdminAddress;
        return new Uri($"http://{host}:{options.AdminPort}/");
    }
}
