// Command ferretdb runs FerretDB v2 (the MongoDB wire protocol over PostgreSQL with Microsoft's DocumentDB
// extension) embedded in our own main module.
//
// Why a module of our own: FerretDB v2's own command expects build files that `go install` from the module proxy
// does not carry; the embeddable package needs none, and this way the version is pinned by go.mod and go.sum.
// DocumentDB makes every single-document write atomic (8 threads x 500 `$inc` on one document end at 4,000), so
// nothing stands between the clients and FerretDB.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/v2/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address for the MongoDB protocol")
	pg := flag.String("postgresql-url", "", "URL of the PostgreSQL database where DocumentDB is installed")
	state := flag.String("state-dir", "state", "directory for FerretDB's own state file")
	flag.Parse()
	if *pg == "" {
		log.Fatal("-postgresql-url is required")
	}
	if err := os.MkdirAll(*state, 0o755); err != nil {
		log.Fatal(err)
	}
	telemetry := false // no data leaves the machine: the lab's networks reach no outside host
	f, err := ferretdb.New(&ferretdb.Config{
		PostgreSQLURL: *pg, ListenAddr: *listen, StateDir: *state,
		LogLevel: slog.LevelWarn, LogOutput: os.Stderr, Telemetry: &telemetry,
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log.Printf("FerretDB v2 listening on %s", *listen)
	f.Run(ctx)
}
