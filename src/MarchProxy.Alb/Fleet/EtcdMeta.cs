namespace MarchProxy.Alb.Fleet;

/// <summary>The meta key's value: written by every change, so a transaction that compares it sees any change since its read.</summary>
public sealed record EtcdMeta(int Format, string Operation, string ModuleId, DateTimeOffset At)
{
    public const int CurrentFormat = 1;
}
