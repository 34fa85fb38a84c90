namespace MarchProxy.Load.Ads;

/// <summary>What one client counted; written by its own stream loop only, read by the scenarios.</summary>
public sealed class ClientCounters
{
    private long _bytes;
    private long _responses;
    private long _acks;
    private long _nacks;
    private long _streams;

    /// <summary>Sum of the serialized sizes of every response received.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public long Responses => Interlocked.Read(ref _responses);

    public long Acks => Interlocked.Read(ref _acks);

    public long Nacks => Interlocked.Read(ref _nacks);

    /// <summary>Streams opened (1 + reconnects).</summary>
    public long Streams => Interlocked.Read(ref _streams);

    public string? LastError { get; set; }

    internal void Received(int bytes)
    {
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Increment(ref _responses);
    }

    internal void Acked() => Interlocked.Increment(ref _acks);

    internal void Nacked() => Interlocked.Increment(ref _nacks);

    internal void StreamOpened() => Interlocked.Increment(ref _streams);
}
