using System.Runtime.InteropServices;
using System.Text;

namespace IclPrune.Runtime;

/// <summary>
/// GPU names through the CUDA driver API (libcuda.so.1), because TorchSharp 0.107 exposes device counts but not
/// device properties. Hand-written: three driver calls are all we need and no served package wraps them.
/// </summary>
public static partial class CudaDevices
{
    public static IReadOnlyList<string> Names(int count)
    {
        var names = new List<string>();
        try
        {
            if (cuInit(0) != 0) return names;
            for (int i = 0; i < count; i++)
            {
                var buffer = new byte[256];
                if (cuDeviceGet(out int device, i) != 0 || cuDeviceGetName(buffer, buffer.Length, device) != 0)
                    names.Add($"cuda:{i} (name unavailable)");
                else
                    names.Add(Encoding.ASCII.GetString(buffer).TrimEnd('\0'));
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No driver library: the count from torch stands on its own.
        }
        return names;
    }

    [LibraryImport("libcuda.so.1")] private static partial int cuInit(uint flags);
    [LibraryImport("libcuda.so.1")] private static partial int cuDeviceGet(out int device, int ordinal);
    [LibraryImport("libcuda.so.1")] private static partial int cuDeviceGetName([Out] byte[] name, int length, int device);
}
