#ifndef ASKDB_CCPUFEATURES_SHIM_H
#define ASKDB_CCPUFEATURES_SHIM_H
// Header only: asks the CPU (and the kernel) whether AVX2 and FMA may be used, so code built
// for them is never run where they would fault.
#if defined(__x86_64__)
#include <cpuid.h>

static inline int askdb_cpu_has_avx2_fma(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int osxsave = 1u << 27, avx = 1u << 28, fma = 1u << 12;
    if ((ecx & (osxsave | avx | fma)) != (osxsave | avx | fma)) return 0;
    // The operating system must save the YMM registers on a context switch.
    unsigned int xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6u) != 6u) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 5)) != 0;
}
#else
static inline int askdb_cpu_has_avx2_fma(void) { return 1; }
#endif

#endif
