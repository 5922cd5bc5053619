#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/* SQLite's process-wide configuration, applied by a constructor before main (sqlite3_config must
   run before SQLite initializes, i.e. before any connection opens; it is variadic, which Swift
   cannot call). */

/* 1 when SQLite took the configuration, 0 when it refused it (it was already initialized). */
int bizing_sqlite_configured(void);

/* sqlite3_memory_used(): 0 when memory statistics are off, as configured. */
long long bizing_sqlite_memory_used(void);

#endif
