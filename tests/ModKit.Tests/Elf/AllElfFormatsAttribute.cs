using System.Reflection;
using ModKit.Elf;
using Xunit.Sdk;

namespace ModKit.Tests.Elf;

/// <summary>Supplies a theory with every ELF format: 32- and 64-bit, each in both byte orders.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AllElfFormatsAttribute : DataAttribute
{
    /// <inheritdoc/>
    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        foreach (var elfClass in new[] { ElfClass.Elf32, ElfClass.Elf64 })
        {
            foreach (var order in new[] { ElfByteOrder.LittleEndian, ElfByteOrder.BigEndian })
            {
                yield return [elfClass, order];
            }
        }
    }
}
