using System.Reflection;

namespace IclPrune.Runtime;

/// <summary>The version of this library (the tool and IclAssertions are versioned with it), without the commit suffix.</summary>
public static class ProductVersion
{
    public static string Current { get; } =
        typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "unknown";
}
