// A GOPROXY made of Go's own net/http file server: it serves a module cache's cache/download tree over TLS
// (HTTP/2 by ALPN, as the standard server does) and logs, per request, the connection it came on and that
// connection's request count. Built by the tests with the Debian go 1.19; standard library only.
//
// Signals: SIGUSR1 calls srv.Shutdown() (graceful: GOAWAY on HTTP/2, then close when idle); SIGTERM calls
// srv.Close() and exits. Freezing and killing are SIGSTOP/SIGCONT/SIGKILL from the test.
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type connKey struct{}

type connInfo struct {
	id       uint64
	requests int64
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	root := flag.String("root", "", "document root: a GOMODCACHE's cache/download directory")
	certFile := flag.String("cert", "", "server certificate chain (PEM)")
	keyFile := flag.String("key", "", "server private key (PEM)")
	logPath := flag.String("log", "", "request log, created exclusively")
	keyLogPath := flag.String("keylog", "", "TLS key log (NSS format) for tshark, created exclusively")
	idle := flag.Duration("idle", 0, "http.Server IdleTimeout (0: none)")
	http1 := flag.Bool("http1", false, "HTTP/1.1 only (no h2 in ALPN)")
	flag.Parse()

	logFile, err := os.OpenFile(*logPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "log:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	logf := func(format string, a ...interface{}) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(logFile, "%.6f "+format+"\n", append([]interface{}{float64(time.Now().UnixNano()) / 1e9}, a...)...)
	}

	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if *keyLogPath != "" {
		keyLog, err := os.OpenFile(*keyLogPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			fmt.Fprintln(os.Stderr, "keylog:", err)
			os.Exit(2)
		}
		tlsConfig.KeyLogWriter = keyLog
	}

	var nextConn uint64
	files := http.FileServer(http.Dir(*root))
	srv := &http.Server{
		TLSConfig:   tlsConfig,
		IdleTimeout: *idle,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ci := r.Context().Value(connKey{}).(*connInfo)
			n := atomic.AddInt64(&ci.requests, 1)
			sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
			start := time.Now()
			files.ServeHTTP(sw, r)
			logf("request conn=%d n=%d status=%d proto=%s uri=%s seconds=%.6f", ci.id, n, sw.status, r.Proto, r.RequestURI, time.Since(start).Seconds())
		}),
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			id := atomic.AddUint64(&nextConn, 1)
			logf("conn conn=%d remote=%s", id, c.RemoteAddr())
			return context.WithValue(ctx, connKey{}, &connInfo{id: id})
		},
		ConnState: func(c net.Conn, s http.ConnState) {
			logf("state remote=%s state=%s", c.RemoteAddr(), s)
		},
	}
	if *http1 {
		srv.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		os.Exit(2)
	}
	done := make(chan struct{})
	var stopOnce sync.Once
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGUSR1, syscall.SIGTERM)
	go func() {
		for s := range signals {
			if s == syscall.SIGUSR1 {
				go func() {
					logf("shutdown begin")
					err := srv.Shutdown(context.Background())
					logf("shutdown end err=%v", err)
					stopOnce.Do(func() { close(done) })
				}()
			} else {
				logf("close")
				srv.Close()
				stopOnce.Do(func() { close(done) })
			}
		}
	}()
	fmt.Printf("listening %s\n", ln.Addr())
	os.Stdout.Sync()
	err = srv.ServeTLS(ln, *certFile, *keyFile)
	logf("serve returned err=%v", err)
	if err != http.ErrServerClosed {
		os.Exit(1)
	}
	// Serve returns at once on Shutdown; the graceful part (open connections draining) ends later.
	<-done
}
