// Command ferretdb runs FerretDB v1 (MongoDB wire protocol on PostgreSQL or SQLite) embedded in our own main
// module, behind a small proxy that makes each write command atomic.
//
// Why a module of our own: `go install .../cmd/ferretdb` builds a binary that panics on a missing generated
// build/version/version.txt; the embeddable package skips that file when the main module is not FerretDB's.
//
// Why the proxy: FerretDB v1 runs an update as "query, change in Go, write the whole document back", with nothing
// stopping a second update of the same document in between, so concurrent updates are lost (two threads doing 300
// `$inc` each on one document ended at 28 and 173). MongoDB makes every single-document write atomic, and Idea Lab
// relies on it. The proxy lets one write command at a time reach FerretDB; reads are not held back.
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("sqlite-dir", "data", "directory of the SQLite databases (one file per database)")
	pg := flag.String("postgresql-url", "", "PostgreSQL URL: use the PostgreSQL backend instead of SQLite")
	flag.Parse()

	// FerretDB itself listens on a private Unix socket; only the proxy is reachable over TCP.
	socket := filepath.Join(os.TempDir(), fmt.Sprintf("idealab-ferretdb-%d.sock", os.Getpid()))
	// A socket already there is a killed process's (SIGKILL skips the deferred remove) whose pid we got again.
	os.Remove(socket)
	defer os.Remove(socket)

	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	config := &ferretdb.Config{Listener: ferretdb.ListenerConfig{Unix: socket}, Logger: logger}
	data := *dir
	if *pg != "" {
		config.Handler, config.PostgreSQLURL, data = "postgresql", *pg, redacted(*pg)
	} else {
		if err := os.MkdirAll(*dir, 0o755); err != nil {
			log.Fatal(err)
		}
		config.Handler, config.SQLiteURL = "sqlite", "file:"+*dir+"/"
	}
	f, err := ferretdb.New(config)
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		<-ctx.Done()
		listener.Close()
	}()
	go proxy(listener, socket)

	log.Printf("FerretDB listening on %s, data in %s", *listen, data)
	if err := f.Run(ctx); err != nil {
		log.Fatal(err)
	}
}

// redacted is the URL without its password, fit for the log.
func redacted(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "PostgreSQL"
}

func proxy(listener net.Listener, socket string) {
	var writes sync.Mutex
	for {
		client, err := listener.Accept()
		if err != nil {
			return
		}
		go relay(client, socket, &writes)
	}
}

// relay passes one client connection's messages to FerretDB and the replies back. The wire protocol is strictly
// request/reply here: FerretDB v1 supports neither exhaust cursors nor streaming hello (moreToCome).
func relay(client net.Conn, socket string, writes *sync.Mutex) {
	defer client.Close()
	backend, err := net.Dial("unix", socket)
	if err != nil {
		log.Printf("proxy: %v", err)
		return
	}
	defer backend.Close()

	for {
		request, err := readMessage(client)
		if err != nil {
			return
		}
		write := isWrite(request)
		if write {
			writes.Lock()
		}
		var reply []byte
		if _, err = backend.Write(request); err == nil {
			reply, err = readMessage(backend)
		}
		if write {
			writes.Unlock()
		}
		if err != nil {
			return
		}
		if _, err := client.Write(reply); err != nil {
			return
		}
	}
}

const maxMessage = 48 << 20 // MongoDB's maxMessageSizeBytes

func readMessage(r io.Reader) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return nil, err
	}
	n := int(binary.LittleEndian.Uint32(size[:]))
	if n < 16 || n > maxMessage {
		return nil, errors.New("proxy: bad message length")
	}
	msg := make([]byte, n)
	copy(msg, size[:])
	_, err := io.ReadFull(r, msg[4:])
	return msg, err
}

var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findandmodify": true, "create": true, "createindexes": true,
	"drop": true, "dropdatabase": true, "dropindexes": true, "renamecollection": true,
}

// isWrite tells whether an OP_MSG carries a write command: the name of the first field of its body section.
func isWrite(msg []byte) bool {
	const opMsg = 2013
	if len(msg) < 21 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return false
	}
	for pos := 20; pos < len(msg); {
		kind := msg[pos]
		if pos+5 > len(msg) {
			return false
		}
		size := int(binary.LittleEndian.Uint32(msg[pos+1 : pos+5]))
		if kind == 0 { // the body: a BSON document whose first element is the command
			name := msg[pos+6:] // skip kind, document length and the element's type byte
			if end := strings.IndexByte(string(name[:min(len(name), 64)]), 0); end > 0 {
				return writeCommands[strings.ToLower(string(name[:end]))]
			}
			return false
		}
		pos += 1 + size // a document sequence (kind 1): its size counts itself but not the kind byte
	}
	return false
}
