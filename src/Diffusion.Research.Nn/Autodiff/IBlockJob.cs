namespace Diffusion.Research.Nn.Autodiff;

/// <summary>A job of independent numbered blocks for <see cref="BlockWorkers"/>: each block writes only its own outputs.</summary>
internal interface IBlockJob
{
    /// <summary>Runs block <paramref name="block"/>.</summary>
    void Run(int block);
}
