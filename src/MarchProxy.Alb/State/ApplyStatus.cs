namespace MarchProxy.Alb.State;

public enum ApplyStatus
{
    /// <summary>Validated, persisted and published: the new version is live.</summary>
    Applied = 0,

    /// <summary>A dry run that would have succeeded; nothing changed. The version is the one it was checked against.</summary>
    Validated = 1,

    NotFound = 2,

    FailedPrecondition = 3,

    /// <summary>The input or the resulting state is invalid; nothing changed.</summary>
    Invalid = 4,

    /// <summary>The state could not be persisted; nothing changed.</summary>
    Unavailable = 5,

    /// <summary>Publishing failed unexpectedly after a successful dry run; nothing changed.</summary>
    Failed = 6,

    /// <summary>The mutation asks for what is already there: success with the current version; nothing persisted or pushed.</summary>
    Unchanged = 7,

    /// <summary>The shared store kept changing under the mutation (other ALBs' changes); nothing changed.</summary>
    Aborted = 8,
}
