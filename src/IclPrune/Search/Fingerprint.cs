using System.Security.Cryptography;
using System.Text;

namespace IclPrune.Search;

/// <summary>Short SHA-256 fingerprints of configuration text (journals refuse to mix configurations).</summary>
public static class Fingerprint
{
    public static string Of(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}
