using System;
using System.Management.Automation;
using GoNetTools.Tuning;
using GoNetTools.Platform;
using GoNetTools.Foundation;
using GoNetTools.Foundation.Tunables;

namespace GoNetTools.Commands;

/// <summary>
/// Shared by the *-TcpTuning cmdlets: where the boot configuration and backups live (ConfigRoot) and the
/// test hook that makes a write fail. Live values follow SystemRoot (see <see cref="GoNetToolsCmdlet"/>).
/// </summary>
public abstract class TuningCmdletBase : GoNetToolsCmdlet
{
    // Test hooks (see TestHook): $GoNetToolsConfigRoot / GONETTOOLS_CONFIGROOT names the root for etc/sysctl*, our
    // persisted file and var/lib/gonettools/backups, kept apart from SystemRoot so a test can leave /proc/sys live
    // (inside its own network namespace) while config and backups go to a temp folder. $GoNetToolsTuningFailAt = N
    // makes the Nth live write of a transaction fail before touching anything, to prove the rollback.

    /// <summary>Root for configuration and backups: variable, environment, else SystemRoot (ProgramData on Windows).</summary>
    private protected string ConfigRoot
    {
        get
        {
            return TestHook.ConfigRoot.Read(SessionState) ?? PlatformServices.DefaultConfigRoot(SystemRoot);
        }
    }

    // $GoNetToolsTuningLockPause holds the persisted file's lock that long, so a test can make two -Persist runs overlap.
    private TimeSpan LockPause =>
        LanguagePrimitives.TryConvertTo(TestHook.TuningLockPause.Read(SessionState), out int ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;

    private protected int? FailAt =>
        LanguagePrimitives.TryConvertTo(TestHook.TuningFailAt.Read(SessionState), out int n) && n > 0 ? n : null;

    /// <summary>The store and catalog for this OS; a terminating error on an unsupported OS.</summary>
    private protected TuningInventory OpenInventory()
    {
        try
        {
            var store = PlatformServices.TunableStore(SystemRoot, ConfigRoot);
            store.PersistLockPause = LockPause;
            return new TuningInventory(store, TunableCatalog.Instance);
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, null);
            throw; // not reached
        }
    }

    /// <summary>Looks up -Profile; a terminating InvalidArgument naming the profiles when unknown.</summary>
    private protected TuningProfile ResolveProfile(string name)
    {
        var profile = TunableCatalog.Instance.FindProfile(name);
        if (profile is null)
        {
            ThrowTerminating(ErrorIds.UnknownTuningProfile, ErrorCategory.InvalidArgument, name,
                $"There is no tuning profile '{name}'.",
                "Use one of: " + string.Join(", ", System.Linq.Enumerable.Select(TunableCatalog.Instance.Profiles, p => p.Name)) + ".");
        }
        return profile!;
    }

    /// <summary>
    /// The tuning cmdlets' body under the one error mapping (<see cref="GoNetToolsCmdlet.Guarded"/>): a GoNetToolsException
    /// with its own id, an I/O failure as TunableReadFailed.
    /// </summary>
    private protected void GuardedTuning(Action body, object? target) =>
        Guarded(body, target, ErrorIds.TunableReadFailed, "Reading the tunables", "Check that /proc/sys and the sysctl configuration folders are readable.");

    /// <summary>A failed transaction: a WriteError (PermissionDenied when refused), after everything was put back.</summary>
    private protected void ThrowTransactionFailure(GoNetToolsException failure, object? target) =>
        ThrowTerminating(failure.ErrorId, failure.Kind == FailureKind.PermissionDenied ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError,
            target, failure.Message, failure.RecommendedAction, failure);

    /// <summary>Exceptions reading or writing files that a tuning cmdlet turns into error records.</summary>
    private protected static bool IsIoFailure(Exception e) => TuningPlan.IsIoFailure(e);

    /// <summary>The tuning workflow (<see cref="TuningPlan"/>) with this cmdlet as its host: ShouldProcess, streams and error records.</summary>
    private protected TuningPlan CreatePlan(TuningInventory inventory) => new(inventory, FailAt, new PlanHost(this));

    private sealed class PlanHost : ITuningHost
    {
        private readonly TuningCmdletBase _cmdlet;

        public PlanHost(TuningCmdletBase cmdlet) => _cmdlet = cmdlet;

        public bool WhatIf => _cmdlet.MyInvocation.BoundParameters.ContainsKey("WhatIf");

        public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);

        public void Warning(string text) => _cmdlet.WriteWarning(text);

        public void Verbose(string text) => _cmdlet.WriteVerbose(text);

        public void Output(object item) => _cmdlet.WriteObject(item);

        public void Stop(GoNetToolsException problem, object? target) => _cmdlet.ThrowTerminating(problem, target);

        public void StopWriteFailed(string errorId, object? target, string message, string recommendedAction, Exception inner) =>
            _cmdlet.ThrowTerminating(errorId, ErrorCategory.WriteError, target, message, recommendedAction, inner);

        public void Failed(GoNetToolsException failure, object? target) => _cmdlet.ThrowTransactionFailure(failure, target);
    }
}
