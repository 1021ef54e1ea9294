namespace Diffusion.Research.Nn;
