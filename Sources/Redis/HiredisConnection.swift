internal import CHiredis
import Foundation
import Glibc

#if canImport(Glibc)
#endif

/// One blocking hiredis connection: the only code that touches hiredis pointers.
///
/// Every method blocks and must run on a dedicated thread, never on Swift's cooperative pool.
/// ``RedisClient`` guarantees that one task at a time uses a connection (it is checked out of the
/// pool), which is why the type may be `@unchecked Sendable`.
final class HiredisConnection: @unchecked Sendable {
    private let url: RedisURL
    private let connectTimeout: Duration
    private let commandTimeout: Duration
    private var context: UnsafeMutablePointer<redisContext>?

    init(url: RedisURL, connectTimeout: Duration, commandTimeout: Duration) {
        self.url = url
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    deinit { close() }

    /// Sends `commands` as one pipeline and reads one reply each.
    ///
    /// Connects first if needed, and reconnects when the server closed the idle socket (after a
    /// restart, say): that is detected before anything is sent, so no command runs twice.
    /// `timeout` overrides the command timeout, for blocking commands such as `XREADGROUP BLOCK`.
    func execute(_ commands: [[RedisArgument]], timeout: Duration?) throws(RedisError) -> [RedisReply] {
        let context = try connectedContext()
        if let timeout {
            redisSetTimeout(context, Self.timeval(timeout))
        }
        defer {
            if timeout != nil, let current = self.context {
                redisSetTimeout(current, Self.timeval(commandTimeout))
            }
        }
        return try roundTrip(context, commands)
    }

    /// Drops the socket; the next command reconnects.
    func close() {
        if let context {
            redisFree(context)
        }
        context = nil
    }

    // MARK: - Connecting

    private func connectedContext() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        if let context, !Self.peerClosed(context) {
            return context
        }
        close()
        guard let fresh = redisConnectWithTimeout(url.host, Int32(url.port), Self.timeval(connectTimeout)) else {
            throw RedisError(.connectionFailed, "could not allocate a connection to \(url.host):\(url.port)")
        }
        if fresh.pointee.err != 0 {
            let message = Self.errorMessage(fresh)
            redisFree(fresh)
            throw RedisError(.connectionFailed, "\(url.host):\(url.port): \(message)")
        }
        redisSetTimeout(fresh, Self.timeval(commandTimeout))
        context = fresh
        do {
            try handshake(fresh)
        } catch {
            close()
            throw error
        }
        return fresh
    }

    /// Authenticates, selects the database (both allowed while loading), and waits out `LOADING`:
    /// a server that just restarted refuses other commands until it has read its data back.
    private func handshake(_ context: UnsafeMutablePointer<redisContext>) throws(RedisError) {
        var commands: [[RedisArgument]] = []
        if let password = url.password {
            commands.append(["AUTH"] + (url.username.map { [RedisArgument($0)] } ?? []) + [RedisArgument(password)])
        }
        if url.database != 0 {
            commands.append(["SELECT", RedisArgument(url.database)])
        }
        for (command, reply) in zip(commands, try roundTrip(context, commands)) {
            if case .error(let message) = reply {
                let code: RedisError.Code = command.first == "AUTH" ? .authenticationFailed : .serverError
                throw RedisError(code, message)
            }
        }
        let deadline = ContinuousClock.now + connectTimeout
        while case .error(let message) = try roundTrip(context, [["PING"]])[0] {
            guard message.hasPrefix("LOADING"), ContinuousClock.now < deadline else {
                throw RedisError(.serverError, message)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// A request/response connection that is readable while idle has been closed by the server.
    private static func peerClosed(_ context: UnsafeMutablePointer<redisContext>) -> Bool {
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    // MARK: - Commands

    private func roundTrip(
        _ context: UnsafeMutablePointer<redisContext>,
        _ commands: [[RedisArgument]]
    ) throws(RedisError) -> [RedisReply] {
        for command in commands {
            guard Self.append(command, to: context) == REDIS_OK else {
                throw failure(context)
            }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                throw failure(context)
            }
            replies.append(Self.convert(raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    /// Copies the arguments into one buffer that hiredis formats from (it copies them again).
    private static func append(_ arguments: [RedisArgument], to context: UnsafeMutablePointer<redisContext>) -> Int32 {
        let total = arguments.reduce(0) { $0 + $1.bytes.count }
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: max(total, 1))
        defer { storage.deallocate() }
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        pointers.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        var offset = 0
        for argument in arguments {
            argument.bytes.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(storage + offset).copyMemory(from: bytes.baseAddress ?? UnsafeRawPointer(storage), byteCount: bytes.count)
            }
            pointers.append(UnsafePointer(storage + offset))
            lengths.append(argument.bytes.count)
            offset += argument.bytes.count
        }
        return pointers.withUnsafeMutableBufferPointer { argv in
            lengths.withUnsafeBufferPointer { argvlen in
                redisAppendCommandArgv(context, Int32(arguments.count), argv.baseAddress, argvlen.baseAddress)
            }
        }
    }

    /// After an I/O error the connection's state is unknown: drop it and say what happened.
    private func failure(_ context: UnsafeMutablePointer<redisContext>) -> RedisError {
        let timedOut = context.pointee.err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)
        let message = Self.errorMessage(context)
        close()
        if timedOut {
            return RedisError(.timeout, "no reply from \(url.host):\(url.port) in time")
        }
        return RedisError(.connectionLost, "\(url.host):\(url.port): \(message)")
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(value.str, value.len))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int(value.integer))
        case REDIS_REPLY_ARRAY:
            guard let elements = value.element else { return .array([]) }
            return .array((0..<value.elements).map { index in
                elements[index].map(convert) ?? .null
            })
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func errorMessage(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let text = raw.prefix(while: { $0 != 0 })
            return text.isEmpty ? "unknown error" : String(decoding: text, as: UTF8.self)
        }
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
