using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;

namespace GoNetTools.Lab.Server;

/// <summary>
/// Passes the connection's input through unchanged and notes when the client has closed its side (a read
/// returned IsCompleted: FIN or reset). Frames the server writes after that never reach the client, such as
/// the GOAWAY Kestrel writes when a client drops an idle connection, so the tap counts them apart.
/// </summary>
internal sealed class PeerClosedPipeReader(PipeReader inner) : PipeReader
{
    private int _closed;

    public bool PeerClosed => Volatile.Read(ref _closed) == 1;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
        Observe(await inner.ReadAsync(cancellationToken).ConfigureAwait(false));

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }
        Observe(result);
        return true;
    }

    public override void AdvanceTo(System.SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(System.SequencePosition consumed, System.SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(System.Exception? exception = null)
    {
        inner.Complete(exception);
    }

    private ReadResult Observe(ReadResult result)
    {
        if (result.IsCompleted)
        {
            Volatile.Write(ref _closed, 1);
        }
        return result;
    }
}
