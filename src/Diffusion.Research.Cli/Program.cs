Console.WriteLine("diffusion");
