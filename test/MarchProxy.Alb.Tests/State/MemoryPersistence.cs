using MarchProxy.Alb.State;

namespace MarchProxy.Alb.Tests.State;

public sealed class MemoryPersistence : IStatePersistence
{
    public StoredState? Saved { get; set; }

    public int Saves { get; private set; }

    public bool Fail { get; set; }

    public string Location => "memory";

    public StoredState? Load() => Saved;

    public void Save(StoredState state)
    {
        if (Fail)
        {
            throw new IOException("disk full");
        }

        Saves++;
        Saved = state;
    }
}
