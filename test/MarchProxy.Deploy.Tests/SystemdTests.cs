using MarchProxy.Deploy.Tests.Infrastructure;

namespace MarchProxy.Deploy.Tests;

/// <summary>deploy/systemd/marchproxy-alb.service.</summary>
public sealed class SystemdTests
{
    internal static readonly ILookup<string, string> Unit = Load(ProjectFacts.Deploy("systemd", "marchproxy-alb.service"));

    internal static Dictionary<string, string> Environment => Unit["Environment"]
        .Select(e => e.Split('=', 2))
        .ToDictionary(e => e[0], e => e[1], StringComparer.Ordinal);

    [Test]
    public void Service_RunsThePublishedAlbAndReloadsThroughTheTool()
    {
        Unit["ExecStart"].Single().Should().EndWith("/MarchProxy.Alb.dll");
        Unit["ExecReload"].Single().Should().MatchRegex(@"/marchproxy reload( |$)");
        Unit["Type"].Single().Should().Be("exec");
        Environment.Keys.Should().OnlyContain(name => ProjectFacts.IsKnownVariable(name));
        Environment["DATA_DIR"].Should().Be("/var/lib/" + Unit["StateDirectory"].Single());
        Environment["ALB_CONFIG_FILE"].Should().StartWith("/etc/" + Unit["ConfigurationDirectory"].Single() + "/");
    }

    [Test]
    public void Stop_SigtermToTheAlbOnlySoItDrainsEnvoy()
    {
        Unit["KillMode"].Single().Should().Be("mixed", "a SIGTERM of its own makes Envoy exit without draining");
        Unit["KillSignal"].Single().Should().Be("SIGTERM");
    }

    [Test]
    public void Hardening_OptionsAreSet()
    {
        foreach (var option in new[] { "NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules", "ProtectControlGroups", "RestrictNamespaces", "RestrictSUIDSGID", "LockPersonality" })
        {
            Unit[option].Should().ContainSingle(option).Which.Should().Be("yes", option);
        }

        Unit["ProtectSystem"].Single().Should().Be("strict");
        Unit["CapabilityBoundingSet"].Single().Should().BeEmpty();
        Unit["RestrictAddressFamilies"].Single().Split(' ').Should().Contain(["AF_UNIX", "AF_INET", "AF_INET6"]);
        Unit["MemoryDenyWriteExecute"].Should().BeEmpty(".NET's JIT needs writable and executable memory");
        Unit["User"].Single().Should().NotBe("root");
    }

    private static ILookup<string, string> Load(string path) => File.ReadAllLines(path)
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('['))
        .Select(l => l.Split('=', 2))
        .ToLookup(p => p[0], p => p[1], StringComparer.Ordinal);
}
