namespace Diffusion.Research.Experiments;

/// <summary>
/// An exclusive lock on a results folder, held while a run or merge writes it, so two processes never compute the
/// same cells twice or interleave their run logs. It is an advisory lock (flock on Unix, a share lock on Windows) on
/// the file <see cref="FileName"/> inside the folder; the operating system releases it when the process ends, however
/// it ends, so a killed run leaves no stale lock. The file itself stays (deleting it would race with a waiting process).
/// </summary>
public sealed class ResultsLock : IDisposable
{
    /// <summary>The lock file inside a results folder.</summary>
    public const string FileName = ".diffusion.lock";

    private readonly FileStream _stream;

    private ResultsLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Takes the lock of <paramref name="directory"/> (created if missing) or throws <see cref="ResultsFolderInUseException"/>.</summary>
    public static ResultsLock Acquire(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new ResultsFolderInUseException(
                $"the results folder '{directory}' is in use by another diffusion process (it holds the lock {FileName}); wait for it to finish, or give another --out", e);
        }
        stream.SetLength(0);
        var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
        stream.Write(pid);
        stream.Flush();
        return new ResultsLock(stream);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _stream.Dispose();
}
