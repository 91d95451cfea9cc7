/* GET /hello on Firedancer's fd_http_server, as the C reference peer of benchmarks/run.sh (--peers fd-http-server).
 *
 *   fd_hello PORT [MAX_CONNECTIONS] [spin]
 *
 * fd_http_server answers one request per connection and closes it, so it is compared on the Connection: close
 * workload only.  The body is the same static "Hello, World!" as every other peer's.  Without "spin" the loop waits
 * in poll(2) as the JVM peers and nginx wait in epoll; with it, the loop polls without waiting, as a Firedancer tile
 * runs it.  Built against a Firedancer source tree by build.sh; nothing of Firedancer is kept in this repository. */
#include "waltz/http/fd_http_server.h"
#include "util/fd_util.h"
#include "util/net/fd_ip4.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stopping = 0;

static void
on_signal( int sig ) {
  (void)sig;
  stopping = 1;
}

static uchar const hello[] = "Hello, World!";

static fd_http_server_response_t
on_request( fd_http_server_request_t const * request ) {
  fd_http_server_response_t response = { .status = 404 };
  if( FD_LIKELY( request->method==FD_HTTP_SERVER_METHOD_GET && !strcmp( request->path, "/hello" ) ) ) {
    response.status          = 200;
    response.content_type    = "text/plain";
    response.static_body     = hello;
    response.static_body_len = sizeof(hello)-1UL;
  }
  return response;
}

int
main( int     argc,
      char ** argv ) {
  fd_boot( &argc, &argv );
  if( FD_UNLIKELY( argc<2 ) ) FD_LOG_ERR(( "usage: fd_hello PORT [MAX_CONNECTIONS] [spin]" ));
  ushort port     = (ushort)strtoul( argv[1], NULL, 10 );
  ulong  max_conn = argc>2 ? strtoul( argv[2], NULL, 10 ) : 1024UL;
  int    spin     = argc>3 && !strcmp( argv[3], "spin" );

  fd_http_server_params_t params = {
    .treap_seed            = 1UL,
    .max_connection_cnt    = max_conn,
    .max_ws_connection_cnt = 1UL,
    .max_request_len       = 8192UL,
    .max_ws_recv_frame_len = 8192UL,
    .max_ws_send_frame_cnt = 16UL,
    .outgoing_buffer_sz    = 1UL<<20,
  };
  fd_http_server_callbacks_t callbacks = { .request = on_request };

  void * mem = aligned_alloc( fd_http_server_align(), fd_ulong_align_up( fd_http_server_footprint( params ), fd_http_server_align() ) );
  fd_http_server_t * http = fd_http_server_join( fd_http_server_new( mem, params, callbacks, NULL ) );
  FD_TEST( http );
  FD_TEST( fd_http_server_listen( http, FD_IP4_ADDR( 127, 0, 0, 1 ), port ) );

  struct sigaction sa = { .sa_handler = on_signal };
  FD_TEST( !sigaction( SIGTERM, &sa, NULL ) );
  FD_TEST( !sigaction( SIGINT,  &sa, NULL ) );
  FD_LOG_NOTICE(( "listening on 127.0.0.1:%hu, %lu connections, %s", port, max_conn, spin ? "spinning" : "waiting in poll" ));

  while( !stopping ) fd_http_server_poll( http, spin ? 0 : 100, ULONG_MAX );

  free( fd_http_server_delete( fd_http_server_leave( http ) ) );
  fd_halt();
  return 0;
}
