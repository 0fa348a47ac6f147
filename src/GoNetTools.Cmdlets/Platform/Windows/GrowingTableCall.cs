using System;
using System.Runtime.InteropServices;
using GoNetTools.Foundation;

namespace GoNetTools.Platform.Windows;

/// <summary>
/// An iphlpapi-style call that fills <paramref name="buffer"/> (which may be 0 to ask for the size) and answers
/// ERROR_INSUFFICIENT_BUFFER with the size it needs in <paramref name="size"/>.
/// </summary>
internal delegate uint SizedNativeCall(nint buffer, ref uint size);

/// <summary>Native memory from the process heap, freed exactly once.</summary>
internal sealed class NativeBuffer : SafeHandle
{
    public NativeBuffer(int length) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(Marshal.AllocHGlobal(length));
        Length = length;
    }

    /// <summary>Bytes allocated.</summary>
    public int Length { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Marshal.FreeHGlobal(handle);
        return true;
    }
}

/// <summary>
/// Runs a <see cref="SizedNativeCall"/> until its answer fits: a socket table can grow between the call that
/// reports the size and the call that fills the buffer (a busy proxy client opens hundreds of connections a
/// second), so ERROR_INSUFFICIENT_BUFFER on the second call is normal and answered with a bigger buffer.
/// Platform-neutral so the loop is tested with a fake call.
/// </summary>
internal static class GrowingTableCall
{
    public const uint ErrorSuccess = 0;
    public const uint ErrorAccessDenied = 5;
    public const uint ErrorNotSupported = 50;
    public const uint ErrorInsufficientBuffer = 122;
    public const uint ErrorNoData = 232;

    /// <summary>Enough tries for a table growing fast; beyond it something is wrong, not merely busy.</summary>
    public const int MaxAttempts = 8;

    /// <summary>
    /// The filled table, copied into managed memory (the native buffer is freed before returning), or an empty
    /// array when the call reports no data. Failures become <see cref="GoNetToolsException"/> naming <paramref name="what"/>.
    /// With <paramref name="notSupportedMeansAbsent"/>, ERROR_NOT_SUPPORTED (what an uninstalled IPv6 stack answers)
    /// gives null instead of an error.
    /// </summary>
    public static byte[]? Read(SizedNativeCall call, string what, bool notSupportedMeansAbsent = false)
    {
        uint size = 0;
        uint error = call(0, ref size);
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (error == ErrorNotSupported && notSupportedMeansAbsent)
            {
                return null;
            }
            if (error == ErrorNoData || (error == ErrorSuccess && size == 0))
            {
                return Array.Empty<byte>();
            }
            if (error != ErrorInsufficientBuffer)
            {
                throw Failure(what, error);
            }
            // Headroom of an eighth so a table that keeps growing usually fits on the next call.
            long wanted = (long)size + size / 8 + 64;
            if (size == 0 || wanted > int.MaxValue)
            {
                throw new GoNetToolsException(ErrorIds.TcpTableUnavailable, FailureKind.InvalidData,
                    $"{what} asked for an impossible buffer size ({size} bytes).", "Run the command again.");
            }
            using var buffer = new NativeBuffer((int)wanted);
            size = (uint)buffer.Length;
            bool added = false;
            try
            {
                buffer.DangerousAddRef(ref added);
                error = call(buffer.DangerousGetHandle(), ref size);
                if (error == ErrorSuccess)
                {
                    var copy = new byte[buffer.Length];
                    Marshal.Copy(buffer.DangerousGetHandle(), copy, 0, copy.Length);
                    return copy;
                }
            }
            finally
            {
                if (added)
                {
                    buffer.DangerousRelease();
                }
            }
        }
        throw new GoNetToolsException(ErrorIds.TcpTableUnavailable, FailureKind.OperationFailed,
            $"{what} kept growing faster than it could be read ({MaxAttempts} attempts, last size {size} bytes).",
            "Run the command again; filter with -State TimeWait to read less.");
    }

    /// <summary>A Win32 error as a GoNetToolsException with the system's message for it.</summary>
    public static GoNetToolsException Failure(string what, uint error, string errorId = ErrorIds.TcpTableUnavailable) =>
        new(errorId, error == ErrorAccessDenied ? FailureKind.PermissionDenied : FailureKind.OperationFailed,
            $"{what} failed: {Marshal.GetPInvokeErrorMessage((int)error)} (Win32 error {error}).",
            error == ErrorAccessDenied ? "Run PowerShell as Administrator." : "Run the command again; if it persists, check the TCP/IP stack with 'netsh int ip show config'.");
}
