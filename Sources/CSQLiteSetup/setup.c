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
