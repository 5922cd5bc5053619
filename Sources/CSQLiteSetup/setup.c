#include <sqlite3.h>
#include "CSQLiteSetup.h"

static int configured = 0;

/* Memory statistics off: with them on, every sqlite3_malloc and sqlite3_free of every connection
   takes one process-wide mutex and updates counters (Bizing reads neither sqlite3_memory_used nor a
   soft heap limit). A booking makes ~300 such calls across the request threads and the writer. */
__attribute__((constructor)) static void bizing_sqlite_setup(void) {
    configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

int bizing_sqlite_configured(void) { return configured; }

long long bizing_sqlite_memory_used(void) { return sqlite3_memory_used(); }

/* ---- Checkpoints off the writer ----
   SQLite's automatic checkpoint runs inside the commit that takes the WAL past its threshold: that
   commit, and every write waiting behind it, waits while ~1,000 pages are copied into the database
   file and both files are synced. Here the writer's WAL hook only notes that the WAL is long and wakes
   a thread of our own, which runs a PASSIVE checkpoint on its own connection (a PASSIVE checkpoint
   takes no writer lock: the writer goes on committing meanwhile). The writer restarts the WAL at the
   start of a later transaction once everything in it is in the database file. */

#include <pthread.h>
#include <stdlib.h>

struct bizing_checkpointer {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    sqlite3 *db;
    int threshold;
    int due;
    int stopping;
    long long runs;
};

static void *bizing_checkpointer_main(void *argument) {
    struct bizing_checkpointer *c = argument;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (!c->due && !c->stopping) pthread_cond_wait(&c->wake, &c->lock);
        if (c->stopping) break;
        c->due = 0;
        pthread_mutex_unlock(&c->lock);
        /* A busy answer (another checkpoint running) is fine: the next commit past the threshold wakes us. */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->lock);
        c->runs += 1;
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* The writer's WAL hook: called after each commit with the WAL's length in frames. */
static int bizing_wal_hook(void *context, sqlite3 *db, const char *name, int frames) {
    (void)db; (void)name;
    struct bizing_checkpointer *c = context;
    if (frames < c->threshold) return SQLITE_OK;
    pthread_mutex_lock(&c->lock);
    if (!c->due && !c->stopping) {
        c->due = 1;
        pthread_cond_signal(&c->wake);
    }
    pthread_mutex_unlock(&c->lock);
    return SQLITE_OK;
}

bizing_checkpointer *bizing_checkpointer_start(const char *path, int threshold) {
    struct bizing_checkpointer *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->threshold = threshold > 0 ? threshold : 1000;
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK
        || sqlite3_exec(c->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    if (pthread_create(&c->thread, NULL, bizing_checkpointer_main, c) != 0) {
        pthread_cond_destroy(&c->wake);
        pthread_mutex_destroy(&c->lock);
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    return c;
}

void bizing_checkpointer_attach(bizing_checkpointer *c, sqlite3 *writer) {
    sqlite3_wal_hook(writer, bizing_wal_hook, c);
}

void bizing_checkpointer_stop(bizing_checkpointer *c) {
    pthread_mutex_lock(&c->lock);
    if (c->stopping) { pthread_mutex_unlock(&c->lock); return; }
    c->stopping = 1;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    sqlite3_close(c->db);
    c->db = NULL;
    /* The structure itself stays allocated: the writer's connection may still call its WAL hook
       with it (a hook has no destructor); after stop the hook only takes the lock and returns. */
}

long long bizing_checkpointer_runs(bizing_checkpointer *c) {
    pthread_mutex_lock(&c->lock);
    long long runs = c->runs;
    pthread_mutex_unlock(&c->lock);
    return runs;
}
