#ifndef ASKDB_CHIREDIS_SHIM_H
#define ASKDB_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
