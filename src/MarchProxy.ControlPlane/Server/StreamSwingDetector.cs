namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Decides when to return memory: the stream count has moved by at least <c>threshold</c> since the
/// last time, and neither it nor the published snapshots changed for <c>quiet</c>. Pure: it is fed
/// samples with the time they were taken.
/// </summary>
internal sealed class StreamSwingDetector(int threshold, TimeSpan quiet)
{
    private int _trimmedAt;
    private int _streams;
    private long _publishMark;
    private TimeSpan _stillSince;
    private bool _sampled;

    /// <summary>Takes one sample; true when memory should be returned now.</summary>
    public bool Observe(int streams, long publishMark, TimeSpan now)
    {
        if (!_sampled || streams != _streams || publishMark != _publishMark)
        {
            _sampled = true;
            _streams = streams;
            _publishMark = publishMark;
            _stillSince = now;
            return false;
        }

        if (threshold <= 0 || Math.Abs(streams - _trimmedAt) < threshold || now - _stillSince < quiet)
        {
            return false;
        }

        _trimmedAt = streams;
        return true;
    }
}
