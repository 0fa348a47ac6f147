using System.Text;

namespace GoNetTools.Protocols.GoModules;

/// <summary>
/// GOPROXY case-encoding (golang.org/x/mod/module EscapePath): every upper-case letter is written as '!'
/// followed by its lower-case form, so module paths survive case-insensitive file systems. An escaped path
/// never holds an upper-case letter, and '!' is only ever followed by a lower-case letter.
/// </summary>
internal static class ModuleEscaping
{
    public static string Escape(string path)
    {
        var sb = new StringBuilder(path.Length + 4);
        foreach (var c in path)
        {
            if (c is >= 'A' and <= 'Z')
            {
                sb.Append('!').Append((char)(c + ('a' - 'A')));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    public static bool TryUnescape(string escaped, out string path)
    {
        var sb = new StringBuilder(escaped.Length);
        path = "";
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = escaped[i];
            if (c is >= 'A' and <= 'Z')
            {
                return false;
            }
            if (c == '!')
            {
                if (i + 1 >= escaped.Length || escaped[i + 1] is < 'a' or > 'z')
                {
                    return false;
                }
                sb.Append((char)(escaped[++i] - ('a' - 'A')));
                continue;
            }
            sb.Append(c);
        }
        path = sb.ToString();
        return path.Length > 0;
    }
}
