/// BERT's exact GELU, x·½(1 + erf(x/√2)), over a buffer.
///
/// libm's `erff` is a function call per element and was a tenth of the encoder's time. This
/// rational approximation of erf (the one Eigen and TensorFlow use: within a few ulp of erff on
/// [-4, 4], ±1 beyond) is branch-free, so the compiler vectorises the loop.
package enum GELU {
    static func apply(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count {
            let x = values[index]
            values[index] = x * 0.5 * (1 + erf(x * 0.70710678118654752))
        }
    }

    @inline(__always)
    static func erf(_ input: Float) -> Float {
        // Comparisons rather than min/max, whose NaN rules keep the loop scalar.
        let x = input < -4 ? -4 : (input > 4 ? 4 : input)
        let x2 = x * x
        var p = x2 * -2.72614225801306e-10 + 2.77068142495902e-08
        p = x2 * p + -2.10102402082508e-06
        p = x2 * p + -5.69250639462346e-05
        p = x2 * p + -7.34990630326855e-04
        p = x2 * p + -2.95459980854025e-03
        p = x2 * p + -1.60960333262415e-02
        var q = x2 * -1.45660718464996e-05 + -2.13374055278905e-04
        q = x2 * q + -1.68282697438203e-03
        q = x2 * q + -7.37332916720468e-03
        q = x2 * q + -1.42647390514189e-02
        return x * p / q
    }
}
