#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/* SQLite's process-wide configuration, applied by a constructor before main (sqlite3_config must
   run before SQLite initializes, i.e. before any connection opens; it is variadic, which Swift
   cannot call). */

/* 1 when SQLite took the configuration, 0 when it refused it (it was already initialized). */
int bizing_sqlite_configured(void);

/* sqlite3_memory_used(): 0 when memory statistics are off, as configured. */
long long bizing_sqlite_memory_used(void);

/* Checkpoints off the writer (see setup.c): a thread with its own connection to `path`, woken by the
   writer's WAL hook once the WAL holds `threshold` frames, runs PASSIVE checkpoints. NULL when the
   connection or the thread cannot be made. */
typedef struct bizing_checkpointer bizing_checkpointer;
struct sqlite3;
bizing_checkpointer *bizing_checkpointer_start(const char *path, int threshold);
/* Installs the WAL hook on the writer's connection (replacing SQLite's automatic checkpoint there). */
void bizing_checkpointer_attach(bizing_checkpointer *checkpointer, struct sqlite3 *writer);
/* Ends the thread and closes its connection (idempotent). */
void bizing_checkpointer_stop(bizing_checkpointer *checkpointer);
/* Checkpoints run so far. */
long long bizing_checkpointer_runs(bizing_checkpointer *checkpointer);

#endif
