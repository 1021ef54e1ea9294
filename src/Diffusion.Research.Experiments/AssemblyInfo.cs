namespace Diffusion.Research.Experiments;
