namespace MarchProxy.Alb.State;

public enum MutationStatus
{
    /// <summary>The mutation produced a new desired state.</summary>
    Changed = 0,

    /// <summary>The route or cluster it names does not exist.</summary>
    NotFound = 1,

    /// <summary>The state does not allow it (e.g. deleting a cluster that a route uses).</summary>
    FailedPrecondition = 2,

    /// <summary>The input is invalid; see the violations.</summary>
    Invalid = 3,
}
