#ifndef ASKDB_CMONGOC_SHIM_H
#define ASKDB_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>
#endif
