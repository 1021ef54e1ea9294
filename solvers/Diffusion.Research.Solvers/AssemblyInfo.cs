using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Diffusion.Research.Tests")]

namespace Diffusion.Research.Solvers;
