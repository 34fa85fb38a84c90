namespace MarchProxy.Testing;

/// <summary>
/// A child process's output line by line, stdout and stderr in arrival order. Kept in memory, or, for
/// a long run whose output would grow without bound (the load harness), written to a file instead and
/// read back from it when asked; then stdout and stderr are no longer told apart.
/// </summary>
internal sealed class ProcessOutput : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(bool IsError, string Text)> _lines = [];
    private readonly string? _path;
    private readonly StreamWriter? _file;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    public ProcessOutput(string? path)
    {
        if (path is not null)
        {
            _path = path;
            _file = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = false };
        }
    }

    /// <summary>Completes at the next line (or <see cref="Signal"/>); take it before reading the lines, so none is missed.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public void Add(bool isError, string? text)
    {
        if (text is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            if (_file is null)
            {
                _lines.Add((isError, text));
            }
            else
            {
                _file.WriteLine(text);
            }
        }

        Signal();
    }

    public void Signal() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Every line so far; <paramref name="errors"/> true or false keeps only stderr or stdout (memory only).</summary>
    public IReadOnlyList<string> Lines(bool? errors = null)
    {
        lock (_gate)
        {
            if (_path is null)
            {
                return [.. _lines.Where(l => errors is null || l.IsError == errors).Select(l => l.Text)];
            }

            if (errors is not null)
            {
                throw new InvalidOperationException($"The output went to {_path}, where stdout and stderr are one stream.");
            }

            if (!_closed)
            {
                _file!.Flush();
            }

            using var reader = new StreamReader(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var lines = new List<string>();
            while (reader.ReadLine() is { } line)
            {
                lines.Add(line);
            }

            return lines;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            _file?.Dispose();
        }
    }
}
