namespace MarchProxy.Alb.State;

public enum StandaloneLoadStatus
{
    /// <summary>No file was configured and the default file does not exist.</summary>
    NotConfigured = 0,

    Loaded = 1,

    /// <summary>ALB_CONFIG_FILE names a file that does not exist.</summary>
    Missing = 2,

    /// <summary>The file is not valid JSON or holds invalid settings; see the violations.</summary>
    Invalid = 3,
}
