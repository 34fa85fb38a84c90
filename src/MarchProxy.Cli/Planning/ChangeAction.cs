namespace MarchProxy.Cli.Planning;

public enum ChangeAction
{
    Unchanged = 0,
    Create = 1,
    Update = 2,
    Delete = 3,
}
