namespace MarchProxy.Alb.Hosting;

/// <summary>How the value of a mapped environment variable is checked and converted.</summary>
public enum EnvironmentVariableKind
{
    Text = 0,

    /// <summary>0-65535 (0: any free port).</summary>
    Port = 1,

    Number = 2,

    /// <summary>true/false, 1/0, yes/no, on/off.</summary>
    Boolean = 3,

    /// <summary>"30s", "500ms", "1m", "2h" or plain seconds; written in TimeSpan's constant format.</summary>
    Duration = 4,

    /// <summary>One of <see cref="EnvironmentVariableMapping.Allowed"/>, case-insensitive.</summary>
    Choice = 5,

    /// <summary>A bind address turned into an address to connect to: 0.0.0.0 → 127.0.0.1, :: → ::1.</summary>
    ConnectAddress = 6,
}
