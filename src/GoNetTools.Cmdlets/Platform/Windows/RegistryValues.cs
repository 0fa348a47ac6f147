using System.Runtime.Versioning;
using Microsoft.Win32;

namespace GoNetTools.Platform.Windows;

/// <summary>DWORD values under HKLM, abstracted so tests use recorded values instead of the real registry.</summary>
internal interface IRegistryValues
{
    int? GetDword(string subKey, string name);
    void SetDword(string subKey, string name, int value);
    void DeleteValue(string subKey, string name);
}

/// <summary>The real HKLM.</summary>
[SupportedOSPlatform("windows")]
internal sealed class WindowsRegistryValues : IRegistryValues
{
    public int? GetDword(string subKey, string name)
    {
        using var key = Registry.LocalMachine.OpenSubKey(subKey);
        return key?.GetValue(name) is int value ? value : null;
    }

    public void SetDword(string subKey, string name, int value)
    {
        using var key = Registry.LocalMachine.CreateSubKey(subKey, writable: true);
        key.SetValue(name, value, RegistryValueKind.DWord);
    }

    public void DeleteValue(string subKey, string name)
    {
        using var key = Registry.LocalMachine.OpenSubKey(subKey, writable: true);
        key?.DeleteValue(name, throwOnMissingValue: false);
    }
}
