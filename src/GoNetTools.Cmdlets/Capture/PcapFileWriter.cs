using System;
using System.Buffers.Binary;
using System.IO;

namespace GoNetTools.Capture;

/// <summary>
/// Writes one classic pcap file (microsecond timestamps, host byte order, which every reader accepts through
/// the magic number). Our own writer rather than pcap_dump so that the file is created mode 0600 (captures hold
/// private data), flushed to the OS on our schedule (a kill then leaves a readable file), and, when a write fails
/// (disk full), cut back to the last whole record so the file stays valid.
/// </summary>
internal sealed class PcapFileWriter : IDisposable
{
    private const uint MagicMicroseconds = 0xa1b2c3d4;
    private const int GlobalHeaderLength = 24;
    public const int RecordHeaderLength = 16;

    private readonly FileStream _stream;
    private readonly byte[] _buffer;
    private int _buffered;
    private long _committed;

    private PcapFileWriter(FileStream stream, int bufferSize)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
    }

    /// <summary>The file's full path.</summary>
    public string Path => _stream.Name;

    /// <summary>Bytes in the file once everything buffered is written.</summary>
    public long Length => _committed + _buffered;

    /// <summary>Records written (buffered or on disk).</summary>
    public long Records { get; private set; }

    /// <summary>Records the OS has accepted (what survives a failed write).</summary>
    public long CommittedRecords { get; private set; }

    /// <summary>Wire bytes of those records.</summary>
    public long CommittedWireBytes { get; private set; }

    private long _pendingRecords;
    private long _pendingWireBytes;

    /// <summary>
    /// Creates the file (mode 0600 on Unix) and writes the global header. With overwrite an existing file is
    /// deleted first, so the new one gets mode 0600 too (an open of an existing file keeps its old mode).
    /// </summary>
    public static PcapFileWriter Create(string path, int snapLength, int linkType, bool overwrite, int bufferSize = 512 * 1024)
    {
        if (overwrite && File.Exists(path))
        {
            File.Delete(path);
        }
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        var writer = new PcapFileWriter(new FileStream(path, options), bufferSize);
        try
        {
            Span<byte> header = stackalloc byte[GlobalHeaderLength];
            BinaryPrimitives.WriteUInt32LittleEndian(header, MagicMicroseconds);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);   // thiszone: timestamps are UTC
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
            BinaryPrimitives.WriteInt32LittleEndian(header[16..], snapLength);
            BinaryPrimitives.WriteInt32LittleEndian(header[20..], linkType);
            writer.Append(header);
            writer.Flush();
        }
        catch (IOException)
        {
            // A file without a whole header is not a pcap file: leave nothing behind.
            try
            {
                writer.Dispose();
            }
            catch (IOException)
            {
                // Already failing; the delete below is what matters.
            }
            File.Delete(path);
            throw;
        }
        return writer;
    }

    /// <summary>Adds one record. Little-endian, matching the magic written in the header.</summary>
    public void WriteRecord(long seconds, long microseconds, ReadOnlySpan<byte> data, uint originalLength)
    {
        Span<byte> header = stackalloc byte[RecordHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)microseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], originalLength);
        if (_buffered + RecordHeaderLength + data.Length > _buffer.Length)
        {
            Flush();
        }
        Append(header);
        Append(data);
        Records++;
        _pendingRecords++;
        _pendingWireBytes += originalLength;
    }

    /// <summary>
    /// Hands buffered records to the OS (not fsync: a killed process loses nothing the kernel has). On failure
    /// the file is cut back to its last whole record and the exception goes to the caller.
    /// </summary>
    public void Flush()
    {
        if (_buffered == 0)
        {
            return;
        }
        try
        {
            _stream.Write(_buffer, 0, _buffered);
            _committed += _buffered;
            _buffered = 0;
            CommittedRecords += _pendingRecords;
            CommittedWireBytes += _pendingWireBytes;
            _pendingRecords = 0;
            _pendingWireBytes = 0;
        }
        catch (IOException)
        {
            _buffered = 0;
            _pendingRecords = 0;
            _pendingWireBytes = 0;
            try
            {
                _stream.SetLength(_committed);
            }
            catch (IOException)
            {
                // The file may end in a partial record; readers report it as cut short, earlier records still read.
            }
            throw;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _buffered)
        {
            Flush();
            _stream.Write(bytes);
            _committed += bytes.Length;
            return;
        }
        bytes.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += bytes.Length;
    }

    /// <summary>Flushes what it can and closes the file.</summary>
    public void Dispose()
    {
        try
        {
            Flush();
        }
        finally
        {
            try
            {
                _stream.Dispose();
            }
            catch (IOException)
            {
                // Nothing buffered is left in the stream (BufferSize 0); a close error loses nothing more.
            }
        }
    }
}
