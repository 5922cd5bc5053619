#ifndef CMICROHTTPD_SHIM_H
#define CMICROHTTPD_SHIM_H
/* Shims only for what Swift cannot call directly: libmicrohttpd's variadic functions. */
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <microhttpd.h>

typedef enum MHD_Result (*cmhd_access_handler)(void *cls, struct MHD_Connection *connection,
    const char *url, const char *method, const char *version,
    const char *upload_data, size_t *upload_data_size, void **req_cls);
typedef void (*cmhd_completed_handler)(void *cls, struct MHD_Connection *connection,
    void **req_cls, enum MHD_RequestTerminationCode toe);
typedef void *(*cmhd_uri_logger)(void *cls, const char *uri, struct MHD_Connection *connection);

/* MHD_start_daemon is variadic: one fixed call shape with every option the server uses. */
/* The server accepts connections itself (MHD_USE_NO_LISTEN_SOCKET + MHD_add_connection). */
static inline struct MHD_Daemon *cmhd_start_daemon(
    unsigned int flags,
    cmhd_access_handler handler, cmhd_completed_handler completed, cmhd_uri_logger uri_logger, void *cls,
    unsigned int connection_limit, unsigned int per_ip_limit,
    unsigned int timeout_seconds, size_t memory_limit, int strict_for_client)
{
    return MHD_start_daemon(flags, 0, NULL, NULL, handler, cls,
        MHD_OPTION_NOTIFY_COMPLETED, completed, cls,
        MHD_OPTION_URI_LOG_CALLBACK, uri_logger, cls,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory_limit,
        MHD_OPTION_STRICT_FOR_CLIENT, strict_for_client,
        MHD_OPTION_END);
}

/* Bare start for the benchmark baseline (same daemon flags, no per-request bookkeeping). */
static inline struct MHD_Daemon *cmhd_start_bare(unsigned int flags, uint16_t port,
    cmhd_access_handler handler, void *cls, unsigned int threads)
{
    return MHD_start_daemon(flags, port, NULL, NULL, handler, cls,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_LIMIT, 10000u,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_END);
}

/* MHD_get_connection_info is variadic. */
static inline const struct sockaddr *cmhd_client_address(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? info->client_addr : NULL;
}

/* The enum MHD_Result type differs between libmicrohttpd versions; these keep Swift code stable. */
static inline enum MHD_Result cmhd_yes(void) { return MHD_YES; }
static inline enum MHD_Result cmhd_no(void) { return MHD_NO; }

#endif
