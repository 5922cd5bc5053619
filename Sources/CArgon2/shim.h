#ifndef CARGON2_SHIM_H
#define CARGON2_SHIM_H
/* No shims needed: argon2.h is plain C. This header only names it for the module map. */
#include <argon2.h>
#endif
