using System.CommandLine;

namespace MarchProxy.Cli.Commands;

/// <summary>Options several commands share.</summary>
public static class CommonOptions
{
    public static Option<bool> Wait() => new("--wait", "-w")
    {
        Description = "Wait until every connected xDS node has ACKed the new version (up to --ack-timeout). Exit 8 on a NACK, 9 on a timeout.",
    };

    public static Option<bool> ValidateOnly() => new("--validate-only")
    {
        Description = "Only check the request (validate_only): nothing changes; the answer says what would happen.",
    };
}
