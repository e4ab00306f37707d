// ModuleList: ModKit from its NuGet package. Lists modules with their dependencies and parameters, resolves an
// alias, and loads and unloads a module, against the running kernel or, with --fake, against a FakeKernel over a
// scratch folder (nothing reaches the real kernel).
//
//   dotnet run --project examples/ModuleList -- [--root DIR] [--release R] [--fake] [--count N] [ALIAS] [MODULE]
using ModKit;
using ModKit.Kernel;

string root = "/";
string? release = null;
bool fake = false;
int count = 5;
var words = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--root": root = args[++i]; break;
        case "--release": release = args[++i]; break;
        case "--fake": fake = true; break;
        case "--count": count = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        default: words.Add(args[i]); break;
    }
}

string alias = words.Count > 0 ? words[0] : "fs-vfat";
string target = words.Count > 1 ? words[1] : "ext4";
string scratch = Path.Combine(Path.GetTempPath(), "modulelist-" + Environment.ProcessId);
IKernel? kernel = fake ? new FakeKernel(scratch, release ?? "0.0.0-fake") : null;
try
{
    using var modules = KernelModules.Open(root, release, kernel);
    Console.WriteLine($"directory: {modules.ModuleDirectory}");

    foreach (string name in modules.Names().Take(count))
    {
        ModuleDetails module = modules.Get(name);
        Console.WriteLine($"module {module.Name}: {module.Description ?? "(no description)"}");
        foreach (string dependency in module.Dependencies)
        {
            Console.WriteLine($"  needs {Path.GetFileName(dependency)}");
        }

        foreach (ModuleParameter parameter in module.Parameters)
        {
            Console.WriteLine($"  parameter {parameter.Name} ({parameter.Type ?? "?"}): {parameter.Description}");
        }
    }

    Console.WriteLine($"alias {alias} -> {string.Join(' ', modules.Resolve(alias))}");

    ModuleDetails details = modules.Get(target);
    Console.WriteLine($"{details.Name}: {details.Path ?? "(builtin)"}, license {details.License}, {details.Aliases.Count()} aliases");
    if (modules.TryLoad(target, null, out int errno))
    {
        Console.WriteLine($"loaded {target}: {string.Join(' ', modules.Loaded().Select(m => m.Name))}");
        modules.Unload(details.Name);
        Console.WriteLine($"unloaded {details.Name}: {modules.Loaded().Count} modules left");
    }
    else
    {
        Console.WriteLine($"could not load {target}: {Errno.Describe(errno)}");
    }

    try
    {
        modules.Get("no-such-module");
    }
    catch (ModuleOperationException e)
    {
        Console.WriteLine($"error {e.ErrorNumber}: {e.Message}");
    }
}
finally
{
    if (Directory.Exists(scratch))
    {
        Directory.Delete(scratch, recursive: true);
    }
}
