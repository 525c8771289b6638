extension Duration {
    /// Whole milliseconds, as Redis and PostgreSQL timeouts want them.
    public var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }

    /// Seconds as a floating-point number, for rates and reports.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
