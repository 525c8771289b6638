#ifndef ASKDB_CCPUFEATURES_SHIM_H
#define ASKDB_CCPUFEATURES_SHIM_H
// Header only: asks the CPU, and the kernel, whether AVX-512 may be used, so code built for it
// never runs where it would fault. (Some virtual machines advertise instructions whose register
// state the kernel does not save; XCR0 says what it does.)
#if defined(__x86_64__)
#include <cpuid.h>

static inline int askdb_cpu_has_avx512(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int osxsave = 1u << 27, fma = 1u << 12;
    if ((ecx & (osxsave | fma)) != (osxsave | fma)) return 0;
    unsigned int xcr0, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(xcr0_high) : "c"(0));
    // SSE, AVX, opmask, and both halves of the ZMM registers.
    const unsigned int state = 0x2u | 0x4u | 0x20u | 0x40u | 0x80u;
    if ((xcr0 & state) != state) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 16)) != 0;
}
#else
// Elsewhere the module is built for the baseline, which every CPU of the architecture has.
static inline int askdb_cpu_has_avx512(void) { return 1; }
#endif

#endif
