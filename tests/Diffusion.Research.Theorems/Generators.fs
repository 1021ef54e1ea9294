module Diffusion.Research.Theorems.Generators
