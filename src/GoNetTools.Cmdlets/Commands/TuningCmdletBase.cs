using System;
using System.IO;
using System.Management.Automation;
using GoNetTools.Core.Tuning;
using GoNetTools.Platform;

namespace GoNetTools.Commands;

/// <summary>
/// Shared by the *-TcpTuning cmdlets: where the boot configuration and backups live (ConfigRoot) and the
/// test hook that makes a write fail. Live values follow SystemRoot (see <see cref="GoNetToolsCmdlet"/>).
/// </summary>
public abstract class TuningCmdletBase : GoNetToolsCmdlet
{
    /// <summary>
    /// Runspace variable naming the root for etc/sysctl*, our persisted file and var/lib/gonettools/backups
    /// (Windows: the ProgramData folder). A test hook like $GoNetToolsSystemRoot, kept separate so a test can
    /// leave /proc/sys live (inside its own network namespace) while config and backups go to a temp folder.
    /// </summary>
    internal const string ConfigRootSessionVariable = "GoNetToolsConfigRoot";

    /// <summary>Environment variable with the same meaning as <see cref="ConfigRootSessionVariable"/>.</summary>
    internal const string ConfigRootEnvironmentVariable = "GONETTOOLS_CONFIGROOT";

    /// <summary>
    /// Test hook, not a user feature: when the runspace variable $GoNetToolsTuningFailAt holds N, the Nth live
    /// write of a Set-TcpTuning/Undo-TcpTuning transaction fails before touching anything, so tests can prove
    /// the rollback on a real system.
    /// </summary>
    internal const string FailAtSessionVariable = "GoNetToolsTuningFailAt";

    /// <summary>Root for configuration and backups: variable, environment, else SystemRoot (ProgramData on Windows).</summary>
    private protected string ConfigRoot
    {
        get
        {
            if (SessionState.PSVariable.GetValue(ConfigRootSessionVariable) is string root && root.Length > 0)
            {
                return root;
            }
            var fromEnvironment = Environment.GetEnvironmentVariable(ConfigRootEnvironmentVariable);
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }
            return PlatformServices.Current == HostOS.Windows
                ? Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData)
                : SystemRoot;
        }
    }

    /// <summary>
    /// Test hook, not a user feature: $GoNetToolsTuningLockPause (or GONETTOOLS_TUNING_LOCKPAUSE), in milliseconds,
    /// holds the persisted file's lock that long between reading and replacing it, so a test can make two
    /// Set-TcpTuning -Persist runs overlap.
    /// </summary>
    internal const string LockPauseSessionVariable = "GoNetToolsTuningLockPause";

    /// <summary>Environment variable with the same meaning as <see cref="LockPauseSessionVariable"/>.</summary>
    internal const string LockPauseEnvironmentVariable = "GONETTOOLS_TUNING_LOCKPAUSE";

    private TimeSpan LockPause =>
        LanguagePrimitives.TryConvertTo(SessionState.PSVariable.GetValue(LockPauseSessionVariable) ?? Environment.GetEnvironmentVariable(LockPauseEnvironmentVariable), out int ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;

    private protected int? FailAt =>
        LanguagePrimitives.TryConvertTo(SessionState.PSVariable.GetValue(FailAtSessionVariable), out int n) && n > 0 ? n : null;

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

    /// <summary>Reading failures become one terminating error with the reason.</summary>
    private protected void ThrowReadFailure(Exception e) =>
        ThrowTerminating(ErrorIds.TunableReadFailed, ErrorCategory.ReadError, null,
            $"Reading the tunables failed: {e.Message}", "Check that /proc/sys and the sysctl configuration folders are readable.", e);

    /// <summary>A failed transaction: a WriteError (PermissionDenied when refused), after everything was put back.</summary>
    private protected void ThrowTransactionFailure(GoNetToolsException failure, object? target) =>
        ThrowTerminating(failure.ErrorId, failure.Kind == FailureKind.PermissionDenied ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError,
            target, failure.Message, failure.RecommendedAction, failure);

    /// <summary>Exceptions reading or writing files that a tuning cmdlet turns into error records.</summary>
    private protected static bool IsIoFailure(Exception e) => e is IOException or UnauthorizedAccessException;
}
