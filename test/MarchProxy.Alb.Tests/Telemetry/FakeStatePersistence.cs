using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Tests.Telemetry;

/// <summary>An <see cref="IStatePersistence"/> in memory, which throws <see cref="Failure"/> when set.</summary>
internal sealed class FakeStatePersistence : IStatePersistence
{
    public Exception? Failure { get; set; }

    public StoredState? Saved { get; private set; }

    public string Location => "memory";

    public StoredState? Load() => Saved;

    public void Save(StoredState state)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        Saved = state;
    }
}
