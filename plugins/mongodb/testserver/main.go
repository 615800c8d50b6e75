// Command doqu-ferretdb runs an embedded FerretDB (SQLite backend) that speaks
// the MongoDB wire protocol. It exists only to give doqu's MongoDB plugin tests
// a real server without a MongoDB installation.
//
// Once the server listens it prints a single line
//
//	MONGODB_URI=mongodb://127.0.0.1:PORT/
//
// to stdout. It stops cleanly on SIGINT or SIGTERM, and with -exit-on-stdin-eof
// also when its stdin is closed, so that a server whose parent died does not
// linger.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (host:port; port 0 picks a free one)")
	port := flag.Int("port", -1, "TCP port; overrides the port part of -listen when >= 0")
	data := flag.String("data", "", "existing directory for the SQLite databases (required)")
	logLevel := flag.String("log-level", "warn", "log level on stderr: debug, info, warn or error")
	stdinEOF := flag.Bool("exit-on-stdin-eof", false, "also stop when stdin reaches EOF (e.g. when the parent process dies)")
	flag.Parse()

	if err := run(*listen, *port, *data, *logLevel, *stdinEOF); err != nil {
		fmt.Fprintln(os.Stderr, "doqu-ferretdb:", err)
		os.Exit(1)
	}
}

func run(listen string, port int, data, logLevel string, stdinEOF bool) error {
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", flag.Args())
	}

	addr, err := listenAddr(listen, port)
	if err != nil {
		return err
	}

	sqliteURL, err := sqliteURL(data)
	if err != nil {
		return err
	}

	var level slog.Level
	if err = level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("invalid -log-level %q: %w", logLevel, err)
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if stdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan error, 1)

	go func() {
		done <- f.Run(ctx)
	}()

	// ferretdb.New has already bound the socket, so the URI (with the real
	// port when 0 was asked for) is available and connections are accepted
	// as soon as Run's accept loop starts.
	if _, err = fmt.Fprintf(os.Stdout, "MONGODB_URI=%s\n", f.MongoDBURI()); err != nil {
		stop()
		<-done

		return err
	}

	_ = os.Stdout.Sync() // fails harmlessly when stdout is a pipe

	return <-done
}

// listenAddr returns the TCP address to listen on.
func listenAddr(listen string, port int) (string, error) {
	host, p, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("invalid -listen %q: %w", listen, err)
	}

	if port >= 0 {
		if port > 65535 {
			return "", fmt.Errorf("invalid -port %d", port)
		}

		p = fmt.Sprint(port)
	}

	return net.JoinHostPort(host, p), nil
}

// sqliteURL returns the FerretDB SQLite URI for an existing directory.
// FerretDB requires the trailing slash.
func sqliteURL(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("-data DIR is required")
	}

	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}

	fi, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("-data: %w", err)
	}

	if !fi.IsDir() {
		return "", fmt.Errorf("-data: %s is not a directory", abs)
	}

	// FerretDB v1.24.2 writes the path back into per-database SQLite URIs
	// without escaping, so these characters would silently cut it short.
	if strings.ContainsAny(abs, "?#%") {
		return "", fmt.Errorf("-data: path %q must not contain '?', '#' or '%%'", abs)
	}

	if !strings.HasSuffix(abs, "/") {
		abs += "/"
	}

	return "file:" + abs, nil
}
