package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var err error
	switch os.Args[1] {
	case "run":
		err = runCmd(ctx, os.Args[2:])
	case "seed":
		err = seedCmd(ctx, os.Args[2:])
	case "load":
		err = loadCmd(ctx, os.Args[2:])
	case "-h", "-help", "--help", "help":
		usage()
	default:
		usage()
		stop()
		os.Exit(2)
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "igny8-bench:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprint(os.Stderr, `usage: igny8-bench run|seed|load [flags]

  run   seed or reuse the data, start igny8-server (PostgreSQL and SQLite),
        the ceiling and the DRF project, load them in alternating rounds,
        measure sign-ins beside the list and print a Markdown report (what
        'make bench' does; -layers adds igny8's layer variants)
  seed  seed or check the bench database (and the SQLite data dir)
  load  load already running servers given by URL

Run 'igny8-bench <command> -h' for its flags.
`)
}
