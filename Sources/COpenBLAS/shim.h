#ifndef ASKDB_COPENBLAS_SHIM_H
#define ASKDB_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
