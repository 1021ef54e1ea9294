namespace Diffusion.Research.Solvers;
