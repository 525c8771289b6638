import Logging

/// The request or job a piece of work belongs to, carried by the task doing it, so that every
/// logger's lines name it: a service's own logger as much as the request's.
///
/// Set by the API's request-id middleware and by the job worker around each job; read by
/// ``metadataProvider``, which the log handlers ask for every line.
package enum LogContext {
    /// The request being served, as `X-Request-ID` echoes it.
    @TaskLocal package static var requestID: String?
    /// The job being run, lower-case as the API writes job ids.
    @TaskLocal package static var jobID: String?

    /// Adds `hb.request.id` (the key Hummingbird's request logger already uses, so one key
    /// holds the id on every line) and `job` to each line logged inside a request or a job.
    package static let metadataProvider = Logger.MetadataProvider {
        var metadata: Logger.Metadata = [:]
        if let requestID { metadata["hb.request.id"] = .string(requestID) }
        if let jobID { metadata["job"] = .string(jobID) }
        return metadata
    }
}
