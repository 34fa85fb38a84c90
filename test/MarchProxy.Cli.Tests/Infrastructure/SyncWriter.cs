using System.Text;

namespace MarchProxy.Cli.Tests.Infrastructure;

/// <summary>A thread-safe StringWriter that signals every line, so a test can wait for output without sleeping.</summary>
public sealed class SyncWriter : TextWriter
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();
    private readonly List<(Func<string, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            _text.Append(value);
            if (value == '\n')
            {
                var text = _text.ToString();
                foreach (var waiter in _waiters.Where(w => w.Condition(text)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public Task WaitForAsync(Func<string, bool> condition)
    {
        lock (_lock)
        {
            if (condition(_text.ToString()))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, done));
            return done.Task.DefaultTimeout();
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return _text.ToString();
        }
    }
}
