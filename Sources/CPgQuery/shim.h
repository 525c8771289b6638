#ifndef ASKDB_CPGQUERY_SHIM_H
#define ASKDB_CPGQUERY_SHIM_H
#include <pg_query.h>
#endif
