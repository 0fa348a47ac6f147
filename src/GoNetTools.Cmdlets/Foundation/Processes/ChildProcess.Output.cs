using System;
using System.IO;
using System.Text;
using System.Threading;

namespace GoNetTools.Foundation.Processes;

internal sealed partial class ChildProcess
{
    /// <summary>One output stream kept in memory up to a limit, read to its end on a background thread, lines handed on as they come.</summary>
    private sealed class OutputBuffer
    {
        private readonly int _limit;
        private readonly MemoryStream _kept = new();
        private readonly Action<string>? _onLine;
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
        private readonly StringBuilder _line = new();
        private readonly char[] _chars = new char[Encoding.UTF8.GetMaxCharCount(ReadSize)];
        private const int ReadSize = 16384;

        public OutputBuffer(int limit, Action<string>? onLine)
        {
            _limit = limit;
            _onLine = onLine;
        }

        public string Text
        {
            get
            {
                lock (_kept)
                {
                    return Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
                }
            }
        }

        public Thread StartReading(Stream stream)
        {
            var thread = new Thread(() =>
            {
                var buffer = new byte[ReadSize];
                try
                {
                    int read;
                    while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        lock (_kept)
                        {
                            var room = _limit - (int)_kept.Length;
                            if (room > 0)
                            {
                                _kept.Write(buffer, 0, Math.Min(room, read));
                            }
                        }
                        SplitLines(buffer, read, flush: false);
                    }
                }
                catch (IOException)
                {
                    // The pipe broke: what was read stays.
                }
                finally
                {
                    SplitLines(buffer, 0, flush: true);
                    stream.Dispose();
                }
            })
            { IsBackground = true, Name = "GoNetTools child output" };
            thread.Start();
            return thread;
        }

        /// <summary>Lines end at '\n' (a '\r' before it is dropped, as Process's line events do); the last unended line at the end of the stream.</summary>
        private void SplitLines(byte[] bytes, int count, bool flush)
        {
            if (_onLine is null)
            {
                return;
            }
            var chars = _decoder.GetChars(bytes, 0, count, _chars, 0, flush);
            for (var i = 0; i < chars; i++)
            {
                if (_chars[i] == '\n')
                {
                    EmitLine();
                }
                else
                {
                    _line.Append(_chars[i]);
                }
            }
            if (flush && _line.Length > 0)
            {
                EmitLine();
            }
        }

        private void EmitLine()
        {
            if (_line.Length > 0 && _line[^1] == '\r')
            {
                _line.Length--;
            }
            var line = _line.ToString();
            _line.Clear();
            _onLine!(line);
        }
    }
}
