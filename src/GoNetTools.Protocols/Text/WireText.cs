using System;
using System.Text;

namespace GoNetTools.Protocols.Text;

/// <summary>
/// Text that came from the wire or from a file someone else wrote (SNI, ALPN names, GOAWAY debug data, fields of
/// a backup) shown safely: printable ASCII stays, every other byte or control character becomes \xNN, so an
/// escape sequence in a packet can never drive the terminal. Keep the raw bytes in a separate property where they
/// matter.
/// </summary>
internal static class WireText
{
    /// <summary>Bytes as text: 0x20-0x7E kept (a backslash as \x5c, so the escaping is unambiguous), others as \xNN.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int maxBytes = 256)
    {
        var shown = bytes[..Math.Min(bytes.Length, maxBytes)];
        var text = new StringBuilder(shown.Length);
        foreach (var b in shown)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append("\\x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        if (bytes.Length > maxBytes)
        {
            text.Append('…');
        }
        return text.ToString();
    }

    /// <summary>A string with its control characters (C0, DEL, C1) escaped; everything else as it is.</summary>
    public static string Escape(string text)
    {
        var clean = true;
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                clean = false;
                break;
            }
        }
        if (clean)
        {
            return text;
        }
        var result = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                result.Append(c <= 0xFF ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}");
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }
}
