using System.Text;

namespace ModKit.Tests.Support;

/// <summary>
/// A module directory of <c>count</c> synthetic modules (<see cref="TestModuleBuilder"/>), 1000 to a folder, each with
/// two aliases and one exported symbol; module <c>i</c> needs the symbol of the first module of its hundred, and
/// each first module that of module 0 (dependency chains of at most two, as a real tree's are short), with a
/// <c>modules.order</c> naming every module and empty <c>modules.builtin</c> files.
/// </summary>
internal static class SyntheticModuleTree
{
    public const string Release = "9.9.9-synthetic";

    /// <summary>Writes the tree under <paramref name="root"/> (<c>lib/modules/RELEASE</c>); returns the module directory.</summary>
    public static string Write(string root, int count)
    {
        string directory = Path.Combine(root, "lib", "modules", Release);
        var order = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            string relative = $"kernel/drivers/synthetic/g{i / 1000:D3}/syn{i:D6}.ko";
            var module = new TestModuleBuilder()
                .Info("alias", $"synthetic:{i}")
                .Info("alias", $"pci:v0000{i / 0x10000:X4}d0000{i % 0x10000:X4}sv*sd*bc*sc*i*")
                .Info("license", "GPL")
                .Info("description", $"synthetic module {i}")
                .Info("vermagic", Release + " SMP mod_unload ")
                .Exports($"syn_fn_{i}");
            int parent = i % 100 != 0 ? i - (i % 100) : 0;
            if (i != 0)
            {
                module.Needs($"syn_fn_{parent}");
            }

            module.WriteTo(Path.Combine(directory, relative));
            order.Append(relative).Append('\n');
        }

        File.WriteAllText(Path.Combine(directory, "modules.order"), order.ToString());
        File.WriteAllText(Path.Combine(directory, "modules.builtin"), "");
        File.WriteAllText(Path.Combine(directory, "modules.builtin.modinfo"), "");
        return directory;
    }
}
