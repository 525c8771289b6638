import Foundation
import Glibc
import Support

#if canImport(Glibc)
#endif

/// A server or command that a test starts, with a clean signal mask.
///
/// Foundation's `Process` spawns children with the calling thread's signal mask; test code runs
/// on dispatch threads that block every signal, so such a child ignores SIGTERM. This spawns
/// with an empty mask and default handlers, so SIGTERM means what it means in production.
package final class ChildProcess: @unchecked Sendable {
    package let pid: pid_t
    /// Where the child's standard output and error go.
    package let logFile: URL
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments` and `environment` (nil: this process's).
    package init(executable: String, arguments: [String], environment: [String: String]? = nil) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("askdb-child-\(UUID().uuidString).log")
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            env.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
        guard status == 0 else {
            throw TestSetupError("could not start \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
    }

    deinit {
        if exitStatus == nil {
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: logFile)
    }

    /// Sends `signal` to the child.
    package func send(_ signal: Int32) {
        Glibc.kill(pid, signal)
    }

    /// Waits without blocking a thread until the child exits; returns its exit code (128+N for signal N).
    @discardableResult
    package func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let exitStatus { return exitStatus }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
                exitStatus = code
                return code
            }
            guard ContinuousClock.now < deadline else {
                throw TestSetupError("process \(pid) did not exit within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Whether the child is still running.
    package var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            return false
        }
        return true
    }

    /// What the child wrote to standard output and error so far.
    package var output: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }
}
