// System.Numerics.Tensors also defines a Tensor type; inside this project "Tensor" is ours.
global using Tensor = Diffusion.Research.Nn.Autodiff.Tensor;
