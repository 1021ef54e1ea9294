using System.Reflection;
using System.Runtime.Loader;
using Diffusion.Research.Experiments.Backend;

namespace Diffusion.Research.Experiments.Plugins;

/// <summary>
/// Loads plugin assemblies into a set of registries. A plugin is loaded into the default load context, so the
/// framework's assemblies it references are the host's own (its components implement the host's interfaces); the
/// dependencies the host lacks (e.g. FSharp.Core of an F# plugin) are found next to the plugin file. Every public,
/// non-abstract class implementing <see cref="IDiffusionPlugin"/> is created and asked to register, in name order.
/// Loading a file twice into the same loader does nothing the second time.
/// </summary>
public sealed class PluginLoader
{
    private static readonly object Gate = new();
    private static readonly HashSet<string> ProbedFolders = new(StringComparer.Ordinal);
    private readonly ComponentRegistries _registries;
    private readonly HashSet<string> _loaded = new(StringComparer.Ordinal);

    /// <summary>A loader registering into <paramref name="registries"/>.</summary>
    public PluginLoader(ComponentRegistries registries)
    {
        _registries = registries ?? throw new ArgumentNullException(nameof(registries));
    }

    /// <summary>The full paths of the plugins loaded so far.</summary>
    public IReadOnlyCollection<string> Loaded => _loaded;

    /// <summary>Loads <paramref name="path"/>; returns the names of the plugin classes that registered (empty when already loaded).</summary>
    public IReadOnlyList<string> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        lock (Gate)
        {
            if (_loaded.Contains(full)) return [];
            if (Directory.Exists(full)) throw new PluginException($"plugin '{path}' is a folder; give the plugin's .dll file");
            if (!File.Exists(full)) throw new PluginException($"plugin '{path}' does not exist");
            Probe(Path.GetDirectoryName(full)!);
            Assembly assembly;
            try
            {
                assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
            }
            catch (BadImageFormatException e)
            {
                throw new PluginException($"plugin '{path}' is not a .NET assembly", e);
            }
            catch (Exception e) when (e is FileLoadException or IOException or UnauthorizedAccessException)
            {
                throw new PluginException($"plugin '{path}' cannot be loaded: {e.Message}", e);
            }
            Type[] types;
            try
            {
                types = assembly.GetExportedTypes();
            }
            catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
            {
                throw new PluginException($"plugin '{path}' references an assembly that cannot be found or loaded: {e.Message}", e);
            }
            var plugins = types.Where(t => t.IsClass && !t.IsAbstract && typeof(IDiffusionPlugin).IsAssignableFrom(t))
                .OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
            if (plugins.Count == 0)
                throw new PluginException($"plugin '{path}' has no public class implementing {typeof(IDiffusionPlugin).FullName}");
            var names = new List<string>();
            foreach (var type in plugins)
            {
                if (type.GetConstructor(Type.EmptyTypes) is null)
                    throw new PluginException($"plugin '{path}': {type.FullName} needs a public parameterless constructor");
                try
                {
                    ((IDiffusionPlugin)Activator.CreateInstance(type)!).Register(_registries);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    var inner = e is TargetInvocationException { InnerException: { } i } ? i : e;
                    throw new PluginException($"plugin '{path}': {type.FullName}.Register failed: {inner.Message}", inner);
                }
                names.Add(type.FullName!);
            }
            _loaded.Add(full);
            return names;
        }
    }

    // Dependencies the host does not have are looked up next to each plugin loaded so far.
    private static void Probe(string folder)
    {
        if (!ProbedFolders.Add(folder)) return;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
    }
}
