using System.Runtime.InteropServices;

namespace Diffusion.Research.Experiments.Configuration;

/// <summary>
/// Reads an input file only when it is a regular file of bounded size: a FIFO would block the reader forever and a
/// device such as /dev/zero would fill memory, a folder is not a file. On Linux the file type comes from statx(2)
/// before the file is opened; elsewhere the read itself is bounded.
/// </summary>
public static partial class RegularFile
{
    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> bytes of <paramref name="path"/> into <paramref name="bytes"/>; returns
    /// null on success, else a plain message saying what is wrong (<paramref name="what"/> names the file's role).
    /// </summary>
    public static string? Read(string path, long maxBytes, string what, out byte[]? bytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        bytes = null;
        if (Directory.Exists(path)) return $"the {what} '{path}' is a folder, not a file";
        if (!File.Exists(path)) return $"the {what} '{path}' does not exist";
        if (Kind(path) is { } kind && kind != "regular file")
            return $"the {what} '{path}' is a {kind}, not a regular file; give a file on disk";
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > maxBytes) return $"the {what} '{path}' is larger than {Size(maxBytes)}, the most accepted";
                buffer.Write(chunk, 0, read);
            }
            bytes = buffer.ToArray();
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"the {what} '{path}' cannot be read: permission denied";
        }
        catch (IOException e)
        {
            return $"the {what} '{path}' cannot be read: {e.Message}";
        }
    }

    /// <summary>A human size, e.g. "4 MiB".</summary>
    public static string Size(long bytes) =>
        bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? $"{bytes >> 30} GiB"
        : bytes >= 1L << 20 && bytes % (1L << 20) == 0 ? $"{bytes >> 20} MiB"
        : $"{bytes} bytes";

    // The file type from statx(2) (a layout fixed across architectures): stx_mode is the u16 at offset 28. Null when
    // unknown (not Linux, or the call is unavailable).
    private static string? Kind(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = new byte[256];
        try
        {
            const int AtFdCwd = -100;
            const uint StatxType = 0x1;
            if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        var mode = BitConverter.ToUInt16(buffer, 28) & 0xF000;
        return mode switch
        {
            0x8000 => "regular file",
            0x4000 => "folder",
            0x1000 => "named pipe (FIFO)",
            0x2000 => "character device",
            0x6000 => "block device",
            0xC000 => "socket",
            _ => "special file",
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
