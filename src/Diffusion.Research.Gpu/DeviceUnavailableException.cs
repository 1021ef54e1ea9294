namespace Diffusion.Research.Gpu;

/// <summary>A device was asked for (<c>gpu</c>) where none can be created; the message says why.</summary>
public sealed class DeviceUnavailableException : Exception
{
    /// <summary>An exception with <paramref name="message"/>.</summary>
    public DeviceUnavailableException(string message) : base(message)
    {
    }

    /// <summary>An exception with <paramref name="message"/> and its cause.</summary>
    public DeviceUnavailableException(string message, Exception inner) : base(message, inner)
    {
    }
}
