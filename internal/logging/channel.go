package logging

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	slogmulti "github.com/samber/slog-multi"
	"gopkg.in/natefinch/lumberjack.v2"
)

// Channel names one of the original system's dedicated log streams; each
// gets its own rotating file so an operator can follow one integration
// without the noise of the rest.
type Channel string

// The channels of the original Django logging configuration. The values are
// the file names (<dir>/<channel>.log) and the "channel" attribute.
const (
	PublishSync  Channel = "publish_sync"
	WordPressAPI Channel = "wordpress_api"
	Webhooks     Channel = "webhooks"
)

// channels lists every Channel that gets a file; a function rather than a
// variable so no caller can change the list.
func channels() []Channel { return []Channel{PublishSync, WordPressAPI, Webhooks} }

// Defaults of Options, the original's rotation (10 MB × 10 backups).
const (
	DefaultMaxSizeMB  = 10
	DefaultMaxBackups = 10
)

// Options configures Open.
type Options struct {
	// Dir holds the channel files; "" writes no files (tests, containers
	// that only collect stdout).
	Dir string
	// MaxSizeMB is the size in megabytes at which a channel file is rotated;
	// 0 or less is DefaultMaxSizeMB.
	MaxSizeMB int
	// MaxBackups is how many rotated (gzip-compressed) files are kept per
	// channel; 0 or less is DefaultMaxBackups.
	MaxBackups int
	// Level is the minimum level written, to stdout and to the files.
	Level slog.Level
	// Stdout receives every record; nil is os.Stdout.
	Stdout io.Writer
}

// Set is the loggers of one process: Base for everything, Channel for the
// records that also belong in a channel file. Its loggers are safe for
// concurrent use; Close it once nothing logs any more.
type Set struct {
	base     *slog.Logger
	channels map[Channel]*slog.Logger // not modified after Open
	files    []*fileSink
}

// Open builds the loggers described by opts, creating opts.Dir if needed and
// opening (or creating) one file per channel now, so an unwritable directory
// fails at start instead of silently losing every channel record later.
func Open(opts Options) (*Set, error) {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.MaxSizeMB <= 0 {
		opts.MaxSizeMB = DefaultMaxSizeMB
	}
	if opts.MaxBackups <= 0 {
		opts.MaxBackups = DefaultMaxBackups
	}

	// One stdout handler shared by Base and every channel: handlers derived
	// from it share its lock, so concurrent records never interleave on a
	// writer that is not itself safe for concurrent use.
	stdout := newJSON(opts.Stdout, opts.Level)
	s := &Set{
		base:     slog.New(NewContextHandler(stdout)),
		channels: make(map[Channel]*slog.Logger, len(channels())),
	}
	if opts.Dir == "" {
		for _, c := range channels() {
			s.channels[c] = s.base.With(channelAttr(c))
		}
		return s, nil
	}

	// 0o750: the channel records carry customer data (site URLs, payloads).
	if err := os.MkdirAll(opts.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("logging: create log directory: %w", err)
	}
	for _, c := range channels() {
		f := &fileSink{lj: &lumberjack.Logger{
			Filename:   filepath.Join(opts.Dir, string(c)+".log"),
			MaxSize:    opts.MaxSizeMB,
			MaxBackups: opts.MaxBackups,
			Compress:   true,
		}}
		// lumberjack opens lazily; an empty write opens the file now.
		if _, err := f.lj.Write(nil); err != nil {
			return nil, errors.Join(fmt.Errorf("logging: open %s log: %w", c, err), s.Close())
		}
		s.files = append(s.files, f)
		h := slogmulti.Fanout(stdout, newJSON(f, opts.Level))
		s.channels[c] = slog.New(NewContextHandler(h)).With(channelAttr(c))
	}
	return s, nil
}

func channelAttr(c Channel) slog.Attr { return slog.String("channel", string(c)) }

// Base returns the logger of records that belong to no channel: JSON to
// stdout only.
func (s *Set) Base() *slog.Logger { return s.base }

// Channel returns the logger of c: each record goes to stdout and to c's
// file and carries channel=<c>. A channel without a file (Dir "" or a name
// Open does not know) logs to stdout only, still tagged.
func (s *Set) Channel(c Channel) *slog.Logger {
	if l, ok := s.channels[c]; ok {
		return l
	}
	return s.base.With(channelAttr(c))
}

// Close closes the channel files. Later channel records still reach stdout
// but no longer any file. Calling Close again does nothing.
func (s *Set) Close() error {
	var errs []error
	for _, f := range s.files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

// fileSink guards a lumberjack file against writes after Close, which
// lumberjack would answer by silently reopening the file, leaking a file
// descriptor that nothing closes any more.
type fileSink struct {
	mu     sync.Mutex
	lj     *lumberjack.Logger
	closed bool
}

func (f *fileSink) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return 0, os.ErrClosed
	}
	return f.lj.Write(p)
}

func (f *fileSink) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	return f.lj.Close()
}
